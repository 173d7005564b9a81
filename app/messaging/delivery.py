"""Delivery reports from the providers (Meta's statuses, Fonnte's status webhook) applied to
the outbox rows they are about, found by the provider's message id."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models import AntarTertunda, Outbox, OutboxBagian
from ..models.outbox import (
    ANTAR_DIBACA,
    ANTAR_DITERIMA,
    ANTAR_GAGAL,
    ANTAR_TERKIRIM,
    ANTRI,
    DELIVERY_RANK,
)

KEEP_WAITING = timedelta(days=1)
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


# A provider's clock is taken as given only within reason: "1" would show as 1970.
EARLIEST_REPORT = datetime(2009, 1, 1)
CLOCK_SKEW = timedelta(days=1)


def from_unix(timestamp):
    """The report's own time as naive UTC, or None (the time it arrived is used) when
    missing or not believable."""
    if timestamp is None:
        return None
    try:
        at = datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return at if EARLIEST_REPORT <= at <= clock.utcnow() + CLOCK_SKEW else None


@dataclass(frozen=True)
class Applied:
    updated: int
    unknown: int  # reports for ids no row carries (yet): kept a day for the worker to record
    resent: int  # refused outside the 24-hour window, queued again as a template


def apply(reports):
    """Apply reports to their outbox rows; a report for an id not recorded yet waits in
    tb_antar_tertunda until the worker records it (see apply_waiting)."""

    def work():
        updated = unknown = resent = 0
        for report in reports:
            row, part = _target(report.provider, report.provider_id)
            if row is None:
                _wait(report)
                unknown += 1
                continue
            outcome = _apply_to(row, report, part)
            updated += outcome == "updated"
            resent += outcome == "resent"
        return Applied(updated, unknown, resent)

    return run_in_transaction(work)


def apply_waiting(sent):
    """In the caller's transaction, for (provider, provider id) pairs just recorded: apply
    the reports that came before them. One query when none did, which is nearly always."""
    ids = {provider_id for _, provider_id in sent if provider_id}
    if not ids:
        return 0
    waiting = (
        db.session.execute(
            select(AntarTertunda).where(AntarTertunda.id_provider.in_(ids)).order_by(AntarTertunda.id)
        )
        .scalars()
        .all()
    )
    applied = 0
    for early in waiting:
        if (early.provider, early.id_provider) not in sent:
            continue
        row, part = _target(early.provider, early.id_provider)
        if row is not None:
            report = Report(
                early.provider, early.id_provider, early.status_antar, early.waktu, early.galat, early.kode
            )
            _apply_to(row, report, part)
            db.session.delete(early)
            applied += 1
    return applied


def purge_waiting(config):
    """Worker job: reports nobody claimed within a day were for messages not ours."""

    def work():
        limit = clock.utcnow() - KEEP_WAITING
        return db.session.execute(delete(AntarTertunda).where(AntarTertunda.diterima < limit)).rowcount

    return run_in_transaction(work)


def part_rows(ido, provider, part_ids):
    """tb_outbox_bagian rows for a message that went as several parts, to insert."""
    return [
        dict(
            ido=ido,
            bagian=number,
            provider=provider,
            id_provider=str(part_id)[:100],
            status_antar="",
            galat="",
        )
        for number, part_id in enumerate(part_ids, start=1)
    ]


def _target(provider, provider_id):
    """(outbox row, part or None) a provider's message id is about; (None, None) if unknown.
    A part's report is looked up first: the last part's id is the row's id_provider too."""
    part = db.session.execute(
        select(OutboxBagian)
        .where(OutboxBagian.id_provider == provider_id, OutboxBagian.provider == provider)
        .order_by(OutboxBagian.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if part is not None:
        return db.session.get(Outbox, part.ido), part
    return _row_for(provider, provider_id), None


def _row_for(provider, provider_id):
    """The outbox row this provider gave this id (the newest, should an id ever repeat)."""
    return db.session.execute(
        select(Outbox)
        .where(Outbox.id_provider == provider_id, Outbox.provider == provider)
        .order_by(Outbox.ido.desc())
        .limit(1)
    ).scalar_one_or_none()


def _wait(report):
    db.session.add(
        AntarTertunda(
            provider=report.provider,
            id_provider=report.provider_id[:100],
            status_antar=report.state,
            waktu=report.at,
            galat=report.error,
            kode=report.error_code,
            diterima=clock.utcnow(),
        )
    )


def _apply_to(row, report, part=None):
    if _needs_template(row, report):
        _resend_as_template(row)
        return "resent"
    if part is not None:
        return _apply_to_part(row, part, report)
    if row.status_antar == ANTAR_GAGAL:
        return "unchanged"  # a failure is final: a late "delivered" would hide it
    if DELIVERY_RANK[report.state] > DELIVERY_RANK.get(row.status_antar or "", 0):
        row.status_antar = report.state
        row.waktu_antar = report.at or clock.utcnow()
        if report.state == ANTAR_GAGAL:
            row.galat = report.error[:2000] or "Gagal diantar (tanpa keterangan)"
        return "updated"
    return "unchanged"


def _apply_to_part(row, part, report):
    """A split message is as far as its least advanced part, and failed if any part failed:
    the reader has not seen the whole text until every part arrived."""
    if part.status_antar == ANTAR_GAGAL or DELIVERY_RANK[report.state] <= DELIVERY_RANK.get(
        part.status_antar or "", 0
    ):
        return "unchanged"
    part.status_antar = report.state
    if report.state == ANTAR_GAGAL:
        part.galat = report.error[:2000] or "Gagal diantar (tanpa keterangan)"
    parts = db.session.execute(select(OutboxBagian).where(OutboxBagian.ido == row.ido)).scalars().all()
    failed = [p for p in parts if p.status_antar == ANTAR_GAGAL]
    if failed:
        state = ANTAR_GAGAL
        row.galat = "; ".join(f"Bagian {p.bagian} dari {len(parts)}: {p.galat}" for p in failed)[:2000]
    else:
        state = min((p.status_antar or "" for p in parts), key=lambda s: DELIVERY_RANK.get(s, 0))
    if state == (row.status_antar or ""):
        return "unchanged"
    row.status_antar = state
    row.waktu_antar = report.at or clock.utcnow()
    return "updated"


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
    # The reason rides along in opsi, so the note the send writes still says why.
    options["template"] = "Ditolak Meta di luar jendela 24 jam (kode 131047) setelah dikirim bebas"
    row.opsi = json.dumps(options)
    row.status = ANTRI
    row.status_antar = ""
    row.kirim_setelah = clock.utcnow()
    row.token_klaim = None
    row.keterangan = "Ditolak Meta di luar jendela 24 jam (131047): dikirim ulang dengan template"
    # The parts of the refused free-form text say nothing about the template that replaces them.
    db.session.execute(delete(OutboxBagian).where(OutboxBagian.ido == row.ido))
    db.session.info["outbox_queued"] = True
