"""Delivery reports from the providers (Meta's statuses, Fonnte's status webhook) applied to
the outbox rows they are about, found by the provider's message id."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models import Outbox
from ..models.outbox import (
    ANTAR_DIBACA,
    ANTAR_DITERIMA,
    ANTAR_GAGAL,
    ANTAR_TERKIRIM,
    ANTRI,
    DELIVERY_RANK,
)

# Meta: the customer's 24-hour window had closed; the same text can go as a template.
REENGAGEMENT = 131047

META_STATES = {
    "sent": ANTAR_TERKIRIM,
    "delivered": ANTAR_DITERIMA,
    "read": ANTAR_DIBACA,
    "failed": ANTAR_GAGAL,
}
FONNTE_WORDS = (
    ("read", ANTAR_DIBACA),
    ("deliver", ANTAR_DITERIMA),
    ("fail", ANTAR_GAGAL),
    ("invalid", ANTAR_GAGAL),
    ("expired", ANTAR_GAGAL),
    ("reject", ANTAR_GAGAL),
    ("sent", ANTAR_TERKIRIM),
)


@dataclass(frozen=True)
class Report:
    provider: str
    provider_id: str
    state: str  # one of ANTAR_*
    at: datetime | None = None  # naive UTC, when the provider says it happened
    error: str = ""
    error_code: int | None = None


def meta_state(status):
    return META_STATES.get((status or "").lower())


def fonnte_state(*words):
    """Fonnte reports a `status` and a `state` in its own words; the first that means
    something wins ('pending' and 'processing' mean nothing new)."""
    for word in words:
        word = (word or "").lower()
        for needle, state in FONNTE_WORDS:
            if needle in word:
                return state
    return None


def from_unix(timestamp):
    if timestamp is None:
        return None
    try:
        return datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True)
class Applied:
    updated: int
    unknown: int  # reports for messages we have no row for (sent by hand, or long gone)
    resent: int  # refused outside the 24-hour window, queued again as a template


def apply(reports):
    def work():
        updated = unknown = resent = 0
        for report in reports:
            row = db.session.execute(
                select(Outbox)
                .where(Outbox.id_provider == report.provider_id, Outbox.provider == report.provider)
                .order_by(Outbox.ido.desc())
                .limit(1)
            ).scalar_one_or_none()
            if row is None:
                unknown += 1
                continue
            if _needs_template(row, report):
                _resend_as_template(row)
                resent += 1
                continue
            if DELIVERY_RANK[report.state] > DELIVERY_RANK.get(row.status_antar or "", 0):
                row.status_antar = report.state
                row.waktu_antar = report.at or clock.utcnow()
                if report.state == ANTAR_GAGAL:
                    row.galat = report.error[:2000] or "Gagal diantar (tanpa keterangan)"
                updated += 1
        return Applied(updated, unknown, resent)

    return run_in_transaction(work)


def _needs_template(row, report):
    options = json.loads(row.opsi or "null") or {}
    return (
        report.state == ANTAR_GAGAL
        and report.error_code == REENGAGEMENT
        and row.provider == "cloud"
        and not options.get("template")
    )


def _resend_as_template(row):
    options = json.loads(row.opsi or "null") or {}
    options["template"] = True
    row.opsi = json.dumps(options)
    row.status = ANTRI
    row.status_antar = ""
    row.kirim_setelah = clock.utcnow()
    row.token_klaim = None
    row.keterangan = "Ditolak Meta di luar jendela 24 jam (131047): dikirim ulang dengan template"
    db.session.info["outbox_queued"] = True
