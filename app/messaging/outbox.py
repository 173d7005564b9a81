"""The outgoing queue: the one way any part of the app sends a message.

enqueue() adds a row inside the caller's transaction, so a reply is stored together with
what caused it or not at all. A worker claims rows with a conditional UPDATE (status
'antri' -> 'kirim' under a fresh token and its own name), so two workers never send one row
twice. Its send threads note each send in the worker's journal (journal.py) and the
outcomes reach the database once per batch, so after a crash only the rows that were on
the wire are in doubt.
"""

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, event, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from .. import clock, lease
from ..database import core_execute, run_in_transaction
from ..extensions import db
from ..models import Kunci
from ..models.outbox import ANTRI, GAGAL, KIRIM, TERKIRIM, Outbox, OutboxBagian
from ..models.sizes import fit_values
from . import delivery, journal
from .http import TransportError

log = logging.getLogger("sarpras.outbox")

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

    Returns the new row's id, or None when there is nobody to send to (a report the network
    monitor opened has no reporter's number): such a row could only fail. A plain INSERT
    rather than an ORM object: replies are queued inside the webhook's write transaction,
    where every millisecond holds up the next one.
    """
    if not tujuan:
        log.warning("pesan %s tanpa tujuan tidak diantrikan (%s)", kanal, sumber)
        return None
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
    in_doubt: bool = False  # an earlier attempt may have reached the person


def _due(row, now):
    return (row.status == ANTRI, row.kirim_setelah <= now)


def _waiting(row, now):
    """Queued for later: a retry's backoff (or a provider's retry_after)."""
    return (row.status == ANTRI, row.kirim_setelah > now)


def _early_allowed(row):
    """A retry that may go before its backoff once the provider is back: one that failed
    before reaching it, not one in doubt (it may have arrived)."""
    return (row.percobaan > 0, row.mulai_kirim.is_(None))


def _same_person(row, other):
    return (row.tujuan == other.tujuan, row.kanal == other.kanal)


def claim(limit, owner=""):
    """Claim up to `limit` due rows for the worker named `owner` (lease.owner_name())."""

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
        due = db.session.execute(
            select(Outbox.ido, Outbox.mulai_kirim)
            .where(*_due(Outbox, now), ~waiting_before)
            .order_by(Outbox.kirim_setelah, Outbox.ido)
            .limit(limit)
        ).all()
        if not due:
            return []
        in_doubt = {ido for ido, started in due if started is not None}
        token = uuid.uuid4().hex
        db.session.execute(
            update(Outbox)
            .where(Outbox.ido.in_([ido for ido, _ in due]), Outbox.status == ANTRI)
            .values(status=KIRIM, token_klaim=token, diklaim=now, pemilik_klaim=owner)
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
        return [Claimed(*row[:-1], json.loads(row[-1] or "null"), row[0] in in_doubt) for row in rows]

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


IN_DOUBT = "Status pengiriman tidak pasti"
RESENT_AFTER_DOUBT = "Percobaan sebelumnya tidak pasti: pesan ini mungkin diterima dua kali"
_INSERT_PARTS = insert(OutboxBagian.__table__)


def record(results, config):
    """Write what happened to claimed rows, one transaction per batch: sent, queued again
    later, or failed; then the delivery reports that came before the provider's ids."""
    run_in_transaction(lambda: _record(results, config, clock.utcnow()))


def _record(results, config, now):
    """Successes, nearly all of them, are one UPDATE for the whole batch (the provider's
    ids picked by CASE; PyMySQL would run an executemany UPDATE as one statement per
    row); failures load their row to decide between retry and giving up."""
    sent = [r for r in results if r.error is None and not r.held]
    failed = {r.ido: r for r in results if r.error is not None}
    held = [r.ido for r in results if r.held]
    if sent:
        db.session.execute(
            update(Outbox)
            .where(Outbox.ido.in_([r.ido for r in sent]))
            .values(
                status=TERKIRIM,
                terkirim=now,
                provider=_per_row({r.ido: r.provider for r in sent}),
                id_provider=_per_row({r.ido: r.provider_id or "" for r in sent}),
                keterangan=_per_row({r.ido: r.keterangan[:255] for r in sent}),
                galat="",
                token_klaim=None,
                pemilik_klaim=None,
                mulai_kirim=None,
                percobaan=Outbox.percobaan + 1,
            )
        )
        parts = [row for r in sent for row in delivery.part_rows(r.ido, r.provider, r.part_ids)]
        if parts:
            core_execute(_INSERT_PARTS, parts)
        delivery.apply_waiting(
            {(r.provider, r.provider_id) for r in sent}
            | {(r.provider, part) for r in sent for part in r.part_ids}
        )
    if failed:
        columns = (Outbox.ido, Outbox.percobaan, Outbox.opsi)
        for ido, percobaan, opsi in db.session.execute(select(*columns).where(Outbox.ido.in_(failed))):
            values = _after_failure(percobaan, opsi, failed[ido], config, now)
            db.session.execute(update(Outbox).where(Outbox.ido == ido).values(**values))
    if held:
        # Back in the queue as they were: the claim sends them after the earlier one.
        db.session.execute(
            update(Outbox)
            .where(Outbox.ido.in_(held))
            .values(status=ANTRI, token_klaim=None, pemilik_klaim=None)
        )


def _per_row(values):
    """A column value per row id, or the one value when all rows share it."""
    distinct = set(values.values())
    if len(distinct) == 1:
        return distinct.pop()
    return case(values, value=Outbox.ido)


def _after_failure(percobaan, opsi, result, config, now):
    """The new values of a row whose send failed: queued again after a backoff, or given
    up. A send in doubt is marked so (Outbox.mulai_kirim) and waits the backoff, whatever
    the provider asked."""
    error = result.error
    in_doubt = getattr(error, "in_doubt", False)
    values = dict(
        percobaan=percobaan + 1,
        token_klaim=None,
        pemilik_klaim=None,
        mulai_kirim=now if in_doubt else None,
        galat=(f"{IN_DOUBT}: {error}" if in_doubt else str(error))[:2000],
    )
    if result.provider:
        values["provider"] = result.provider
    if getattr(error, "progress", None):
        values["opsi"] = json.dumps({**(json.loads(opsi or "null") or {}), **error.progress})
    if getattr(error, "permanent", False) or percobaan + 1 >= config["OUTBOX_MAX_ATTEMPTS"]:
        values["status"] = GAGAL
    else:
        values["status"] = ANTRI
        delay = None if in_doubt else getattr(error, "retry_after", None)
        values["kirim_setelah"] = now + timedelta(seconds=delay or retry_delay(config, percobaan + 1))
    return values


def retry_now(kanal):
    """The provider took a message again: what waits for a retry after a failure goes
    now, instead of at its backoff time (up to OUTBOX_RETRY_MAX_SECONDS away)."""

    def work():
        now = clock.utcnow()
        return db.session.execute(
            update(Outbox)
            .where(*_waiting(Outbox, now), *_early_allowed(Outbox), Outbox.kanal == kanal)
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
                *_early_allowed(Outbox),
                Outbox.kanal == kanal,
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
    """Put back rows claimed by a worker that is gone.

    A worker of this machine whose process has ended (lease.dead_here) left its journal:
    replayed at once. Any other claim (another machine's worker, or one whose journal is
    missing or older than the machine's restart) after OUTBOX_CLAIM_TIMEOUT_SECONDS, all
    of it in doubt: nothing tells which of its rows went out. The active worker's own
    claims are left to it: a batch to a slow provider can outlast the timeout.
    Returns how many rows came back."""
    left = [
        (path, contents)
        for path, contents in journal.left_behind(config["INSTANCE_DIR"], Result)
        if lease.dead_here(contents.owner)
    ]
    boot = journal.boot_id()

    def work():
        now = clock.utcnow()
        moved = 0
        for _, contents in left:
            known, untried = _replay(contents.owner, contents, config, now)
            moved += known
            if boot and contents.boot == boot:  # else lines may have died with the machine
                moved += _take_back(Outbox.pemilik_klaim == contents.owner, config, now, untried)
        limit = now - timedelta(seconds=config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
        active = select(Kunci.pemilik).where(Kunci.berlaku_sampai > now)
        stale = and_(
            Outbox.diklaim < limit,
            or_(Outbox.pemilik_klaim.is_(None), Outbox.pemilik_klaim.not_in(active)),
        )
        return moved + _take_back(stale, config, now)

    moved = run_in_transaction(work)
    for path, _ in left:
        path.unlink(missing_ok=True)
    if moved:
        wake.set()
    return moved


def release_claims(owner, config):
    """A worker whose batch broke off (the database went away in the middle) records what
    its journal says and gives back the rest; returns how many rows. The caller empties
    its journal afterwards."""
    contents = journal.read(journal.path_for(config["INSTANCE_DIR"], owner), Result)

    def work():
        now = clock.utcnow()
        known, untried = _replay(owner, contents or journal.Contents(), config, now)
        return known + _take_back(Outbox.pemilik_klaim == owner, config, now, untried if contents else ())

    moved = run_in_transaction(work)
    if moved:
        wake.set()
    return moved


def _replay(owner, contents, config, now):
    """Record the outcomes a worker's journal holds for the rows `owner` still claims (a
    journal not yet emptied after its batch was recorded says nothing new); returns how
    many, and the ids of the claimed rows whose send never started."""
    claimed = set(
        db.session.execute(
            select(Outbox.ido).where(Outbox.status == KIRIM, Outbox.pemilik_klaim == owner)
        ).scalars()
    )
    known = [result for ido, result in contents.outcomes.items() if ido in claimed]
    _record(known, config, now)
    return len(known), claimed - contents.started - set(contents.outcomes)


def _take_back(whose, config, now, untried=()):
    """Claimed rows matching `whose` back to the queue: those in `untried` (never sent,
    as the worker's journal shows) as they were; the others in doubt, after a backoff."""
    gone = (Outbox.status == KIRIM, whose)
    back = 0
    if untried:
        back = db.session.execute(
            update(Outbox)
            .where(*gone, Outbox.ido.in_(untried))
            .values(status=ANTRI, token_klaim=None, pemilik_klaim=None)
        ).rowcount
    in_doubt = db.session.execute(select(Outbox.ido, Outbox.percobaan, Outbox.opsi).where(*gone)).all()
    error = TransportError("worker berhenti sebelum hasil pengiriman ini tercatat", in_doubt=True)
    for ido, percobaan, opsi in in_doubt:
        values = _after_failure(percobaan, opsi, Result(ido, "", error=error), config, now)
        db.session.execute(update(Outbox).where(Outbox.ido == ido).values(**values))
    return back + len(in_doubt)


def requeue(row):
    """An admin's 'kirim ulang': a failed row goes back to the queue now (caller commits)."""
    row.status = ANTRI
    row.kirim_setelah = clock.utcnow()
    row.token_klaim = None
    db.session.info["outbox_queued"] = True
