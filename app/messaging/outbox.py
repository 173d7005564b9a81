"""The outgoing queue: the one way any part of the app sends a message.

enqueue() adds a row inside the caller's transaction, so a reply is stored together with
what caused it or not at all. A worker claims rows with a conditional UPDATE (status
'antri' -> 'kirim' under a fresh token), so two workers never send one row twice.
"""

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, event, insert, select, update
from sqlalchemy.orm import Session, aliased

from .. import clock
from ..database import core_execute, run_in_transaction
from ..extensions import db
from ..models.outbox import ANTRI, GAGAL, KIRIM, TERKIRIM, Outbox
from ..models.sizes import fit_values
from . import delivery

# Set after a commit that queued something, so an in-process worker sends at once
# instead of at its next poll.
wake = threading.Event()


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session):
    if session.info.pop("outbox_queued", False):
        wake.set()


# Built once (see reporting.inbound._INSERT_IN).
_INSERT = insert(Outbox.__table__)


def enqueue(
    tujuan, pesan, *, kanal="whatsapp", id_track="", sumber="", media_url="", media_nama="", opsi=None
):
    """Queue a message in the caller's transaction; it is sent once that commits.

    Returns the new row's id. A plain INSERT rather than an ORM object: replies are queued
    inside the webhook's write transaction, where every millisecond holds up the next one.
    """
    now = clock.utcnow()
    values = dict(
        kanal=kanal,
        tujuan=tujuan,
        pesan=pesan,
        media_url=media_url,
        media_nama=media_nama,
        opsi=json.dumps(opsi) if opsi else None,
        status=ANTRI,
        percobaan=0,
        dibuat=now,
        kirim_setelah=now,
        id_track=id_track or "",
        sumber=sumber,
        provider="",
        id_provider="",
        galat="",
    )
    ido = core_execute(_INSERT, fit_values(Outbox.__table__, values)).inserted_primary_key[0]
    db.session.info["outbox_queued"] = True
    return ido


@dataclass(frozen=True)
class Claimed:
    """A claimed row, detached from the session: sending may take seconds, and no
    transaction stays open meanwhile."""

    ido: int
    kanal: str
    tujuan: str
    pesan: str
    media_url: str
    media_nama: str
    percobaan: int
    opsi: dict | None = None


def _due(row, now):
    return (row.status == ANTRI, row.kirim_setelah <= now)


def _waiting(row, now):
    """Queued for later: a retry's backoff (or a provider's retry_after)."""
    return (row.status == ANTRI, row.kirim_setelah > now)


def _same_person(row, other):
    return (row.tujuan == other.tujuan, row.kanal == other.kanal)


def claim(limit):
    """Claim up to `limit` due rows for the caller."""

    def work():
        now = clock.utcnow()
        earlier = aliased(Outbox)
        # A person's messages go out in the order they were queued: one waiting for a
        # retry holds back the later ones to the same person (it is nearly always none,
        # and the due index finds that at once).
        waiting_before = (
            select(earlier.ido)
            .where(*_waiting(earlier, now), *_same_person(earlier, Outbox), earlier.ido < Outbox.ido)
            .exists()
        )
        due = (
            db.session.execute(
                select(Outbox.ido)
                .where(*_due(Outbox, now), ~waiting_before)
                .order_by(Outbox.kirim_setelah, Outbox.ido)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        if not due:
            return []
        token = uuid.uuid4().hex
        db.session.execute(
            update(Outbox)
            .where(Outbox.ido.in_(due), Outbox.status == ANTRI)
            .values(status=KIRIM, token_klaim=token, diklaim=now)
        )
        columns = (
            Outbox.ido,
            Outbox.kanal,
            Outbox.tujuan,
            Outbox.pesan,
            Outbox.media_url,
            Outbox.media_nama,
            Outbox.percobaan,
            Outbox.opsi,
        )
        rows = db.session.execute(select(*columns).where(Outbox.token_klaim == token).order_by(Outbox.ido))
        return [Claimed(*row[:-1], json.loads(row[-1] or "null")) for row in rows]

    return run_in_transaction(work)


@dataclass(frozen=True)
class Result:
    ido: int
    provider: str
    provider_id: str = ""
    error: Exception | None = None
    keterangan: str = ""
    part_ids: tuple = ()  # when the provider took it as several messages
    held: bool = False  # not tried: an earlier message to the same person just failed


def retry_delay(config, attempts):
    base = config["OUTBOX_RETRY_BASE_SECONDS"]
    return min(base * (2 ** max(attempts - 1, 0)), config["OUTBOX_RETRY_MAX_SECONDS"])


def record(results, config):
    """Write what happened to claimed rows: sent, queued again later, or failed.

    Successes, nearly all of them, are one UPDATE for the whole batch (the provider's
    ids picked by CASE; PyMySQL would run an executemany UPDATE as one statement per
    row); failures load their row to decide between retry and giving up.
    """
    sent = [r for r in results if r.error is None and not r.held]
    failed = {r.ido: r for r in results if r.error is not None}
    held = [r.ido for r in results if r.held]

    def work():
        now = clock.utcnow()
        if sent:
            ids = [r.ido for r in sent]
            db.session.execute(
                update(Outbox)
                .where(Outbox.ido.in_(ids))
                .values(
                    status=TERKIRIM,
                    terkirim=now,
                    provider=_per_row({r.ido: r.provider for r in sent}),
                    id_provider=_per_row({r.ido: r.provider_id or "" for r in sent}),
                    keterangan=_per_row({r.ido: r.keterangan[:255] for r in sent}),
                    galat="",
                    token_klaim=None,
                    percobaan=Outbox.percobaan + 1,
                )
            )
            split = [r for r in sent if r.part_ids]
            for r in split:
                delivery.record_parts(r.ido, r.provider, r.part_ids)
            delivery.apply_waiting(
                {(r.provider, r.provider_id) for r in sent}
                | {(r.provider, part) for r in split for part in r.part_ids}
            )
        if failed:
            for row in db.session.execute(select(Outbox).where(Outbox.ido.in_(failed))).scalars():
                _apply(row, failed[row.ido], config)
        if held:
            # Back in the queue as they were: the claim sends them after the earlier one.
            db.session.execute(
                update(Outbox).where(Outbox.ido.in_(held)).values(status=ANTRI, token_klaim=None)
            )

    run_in_transaction(work)


def _per_row(values):
    """A column value per row id, or the one value when all rows share it."""
    distinct = set(values.values())
    if len(distinct) == 1:
        return distinct.pop()
    return case(values, value=Outbox.ido)


def _apply(row, result, config):
    """A failed send: try again later, or give up."""
    now = clock.utcnow()
    row.percobaan += 1
    row.provider = result.provider
    row.token_klaim = None
    if getattr(result.error, "progress", None):
        row.opsi = json.dumps({**(json.loads(row.opsi or "null") or {}), **result.error.progress})
    row.galat = str(result.error)[:2000]
    if getattr(result.error, "permanent", False) or row.percobaan >= config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = GAGAL
    else:
        row.status = ANTRI
        delay = getattr(result.error, "retry_after", None) or retry_delay(config, row.percobaan)
        row.kirim_setelah = now + timedelta(seconds=delay)


def retry_now(kanal):
    """The provider took a message again: what waits for a retry after a failure goes
    now, instead of at its backoff time (up to OUTBOX_RETRY_MAX_SECONDS away)."""

    def work():
        now = clock.utcnow()
        return db.session.execute(
            update(Outbox)
            .where(*_waiting(Outbox, now), Outbox.kanal == kanal, Outbox.percobaan > 0)
            .values(kirim_setelah=now)
        ).rowcount

    moved = run_in_transaction(work)
    if moved:
        wake.set()
    return moved


def retry_one_holding_back(kanal, max_attempts):
    """Bring forward the oldest message waiting for a retry that holds back a newer one to
    the same person, if any; returns how many (0 or 1).

    Someone is waiting for that newer reply, and with no other traffic nothing else would
    show that the provider is back until the retry's own time (up to half an hour). It is
    never the last attempt, so this cannot make a message fail sooner.
    """

    def work():
        now = clock.utcnow()
        newer = aliased(Outbox)
        head = db.session.execute(
            select(Outbox.ido)
            .where(
                *_waiting(Outbox, now),
                Outbox.kanal == kanal,
                Outbox.percobaan > 0,
                Outbox.percobaan < max_attempts - 1,
                select(newer.ido)
                .where(*_due(newer, now), *_same_person(newer, Outbox), newer.ido > Outbox.ido)
                .exists(),
            )
            .order_by(Outbox.ido)
            .limit(1)
        ).scalar_one_or_none()
        if head is None:
            return 0
        return db.session.execute(
            update(Outbox).where(Outbox.ido == head, Outbox.status == ANTRI).values(kirim_setelah=now)
        ).rowcount

    return run_in_transaction(work)


def reclaim_stale(config):
    """Put back rows claimed by a worker that died before recording a result."""

    def work():
        now = clock.utcnow()
        limit = now - timedelta(seconds=config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
        return db.session.execute(
            update(Outbox)
            .where(Outbox.status == KIRIM, Outbox.diklaim < limit)
            .values(status=ANTRI, token_klaim=None, kirim_setelah=now)
        ).rowcount

    return run_in_transaction(work)


def requeue(row):
    """An admin's 'kirim ulang': a failed row goes back to the queue now (caller commits)."""
    row.status = ANTRI
    row.kirim_setelah = clock.utcnow()
    row.token_klaim = None
    db.session.info["outbox_queued"] = True
