"""The outgoing queue: the one way any part of the app sends a message.

enqueue() adds a row inside the caller's transaction, so a reply is stored together with
what caused it or not at all. A worker claims rows with a conditional UPDATE (status
'antri' -> 'kirim' under a fresh token and its own name), so two workers never send one row
twice. Each send is marked just before it goes and its outcome written as soon as it is
known, so after a crash only the rows that were on the wire are in doubt.
"""

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, bindparam, case, event, insert, null, or_, select, update
from sqlalchemy.orm import Session, aliased

from .. import clock, lease
from ..database import (
    core_execute,
    execute_committed,
    run_in_transaction,
    run_on_connection,
    writer_connection,
)
from ..extensions import db
from ..models import Kunci
from ..models.outbox import ANTRI, GAGAL, KIRIM, TERKIRIM, Outbox, OutboxBagian
from ..models.sizes import fit_values
from . import delivery
from .http import TransportError

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
            .values(status=KIRIM, token_klaim=token, diklaim=now, pemilik_klaim=owner, mulai_kirim=None)
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


# What a send thread writes between two sends, nearly always: the previous send accepted
# (b_done) and the next one on its way (b_next), either of them NULL when absent. One
# statement, so on MySQL one round trip (writer_connection(autocommit=True)); built once.
_DONE = Outbox.ido == bindparam("b_done")


def _if_done(value, otherwise):
    return case((_DONE, value), else_=otherwise)


def _param(name, column):
    return bindparam(name, type_=column.type)  # inside CASE a parameter is not typed for us


_NOW = _param("b_now", Outbox.terkirim)


_SENT_AND_START = (
    update(Outbox)
    .where(Outbox.ido.in_([bindparam("b_done"), bindparam("b_next")]))
    .values(
        status=_if_done(TERKIRIM, Outbox.status),
        terkirim=_if_done(_NOW, Outbox.terkirim),
        provider=_if_done(_param("b_provider", Outbox.provider), Outbox.provider),
        id_provider=_if_done(_param("b_provider_id", Outbox.id_provider), Outbox.id_provider),
        keterangan=_if_done(_param("b_keterangan", Outbox.keterangan), Outbox.keterangan),
        galat=_if_done("", Outbox.galat),
        token_klaim=_if_done(null(), Outbox.token_klaim),
        pemilik_klaim=_if_done(null(), Outbox.pemilik_klaim),
        percobaan=_if_done(Outbox.percobaan + 1, Outbox.percobaan),
        mulai_kirim=_if_done(null(), _NOW),
    )
)
_INSERT_PARTS = insert(OutboxBagian.__table__)

IN_DOUBT = "Status pengiriman tidak pasti"
RESENT_AFTER_DOUBT = "Percobaan sebelumnya tidak pasti: pesan ini mungkin diterima dua kali"


class Recorder:
    """Where one send thread writes what happened to the rows it sends.

    write() stores outcomes and marks the row sent next as on its way, between two sends:
    a crash leaves at most the row on the wire without an outcome. It runs for every
    message, so on connections of its own rather than through the session and the pool,
    and the usual case (one success, one start) is a single statement.
    """

    def __init__(self, config):
        self.config = config
        self.engine = db.engine  # the send threads have no app context
        self.conn = writer_connection(self.engine, autocommit=True)
        self.rare = None  # a transactional connection, for failures and held rows

    def write(self, results, start=None):
        results = list(results)
        done = results.pop() if results and _plain_success(results[-1]) else None
        if results:
            self.rare = self.rare or writer_connection(self.engine)
            run_on_connection(self.rare, lambda conn: self._write(conn, results))
        if done is not None or start is not None:
            params = {
                **_sent_values(done, clock.utcnow()),
                "b_next": start.ido if start is not None else None,
            }
            execute_committed(self.conn, _SENT_AND_START, params)

    def _write(self, conn, results):
        now = clock.utcnow()
        sent = [r for r in results if r.error is None and not r.held]
        failed = {r.ido: r for r in results if r.error is not None}
        held = [r.ido for r in results if r.held]
        if sent:
            conn.execute(_SENT_AND_START, [{**_sent_values(r, now), "b_next": None} for r in sent])
            parts = [row for r in sent for row in delivery.part_rows(r.ido, r.provider, r.part_ids)]
            if parts:
                conn.execute(_INSERT_PARTS, parts)
        if failed:
            columns = (Outbox.ido, Outbox.percobaan, Outbox.opsi)
            for ido, percobaan, opsi in conn.execute(select(*columns).where(Outbox.ido.in_(failed))):
                values = _after_failure(percobaan, opsi, failed[ido], self.config, now)
                conn.execute(update(Outbox).where(Outbox.ido == ido).values(**values))
        if held:
            # Back in the queue as they were: the claim sends them after the earlier one.
            conn.execute(
                update(Outbox)
                .where(Outbox.ido.in_(held))
                .values(status=ANTRI, token_klaim=None, pemilik_klaim=None)
            )

    def close(self):
        for conn in (self.conn, self.rare):
            if conn is not None:
                conn.close()


def _plain_success(result):
    return result.error is None and not result.held and not result.part_ids


def _sent_values(result, now):
    if result is None:
        return dict(b_done=None, b_now=now, b_provider="", b_provider_id="", b_keterangan="")
    return dict(
        b_done=result.ido,
        b_now=now,
        b_provider=result.provider,
        b_provider_id=result.provider_id or "",
        b_keterangan=result.keterangan[:255],
    )


def record(results, config):
    """Write the outcomes of claimed rows at once (one-off callers; the dispatcher's send
    threads use a Recorder each), then apply delivery reports that came before them."""
    recorder = Recorder(config)
    try:
        recorder.write(results)
    finally:
        recorder.close()
    apply_early_reports(results)


def apply_early_reports(results):
    """Delivery reports that arrived before the provider ids of these sends were written
    (kept in tb_antar_tertunda): applied now. Once per batch: a query per message would
    cost as much as writing the outcome."""
    sent = {(r.provider, r.provider_id) for r in results if r.error is None and not r.held}
    sent |= {(r.provider, part) for r in results if r.error is None for part in r.part_ids}
    if any(provider_id for _, provider_id in sent):
        run_in_transaction(lambda: delivery.apply_waiting(sent))


def _after_failure(percobaan, opsi, result, config, now):
    """The new values of a row whose send failed: queued again after a backoff, or given
    up. A send in doubt keeps its start time (see Outbox.mulai_kirim) and waits the
    backoff, whatever the provider asked."""
    error = result.error
    in_doubt = getattr(error, "in_doubt", False)
    values = dict(
        percobaan=percobaan + 1,
        token_klaim=None,
        pemilik_klaim=None,
        galat=(f"{IN_DOUBT}: {error}" if in_doubt else str(error))[:2000],
    )
    if result.provider:
        values["provider"] = result.provider
    if not in_doubt:
        values["mulai_kirim"] = None
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
    """Put back rows claimed by a worker that is gone: at once when it ran on this machine
    and its process has ended (lease.dead_here), after OUTBOX_CLAIM_TIMEOUT_SECONDS
    otherwise (another machine's processes are not ours to see). The active worker's own
    claims are left to it: a batch to a slow provider can outlast the timeout.
    Returns how many rows came back."""

    def work():
        now = clock.utcnow()
        owners = db.session.execute(
            select(Outbox.pemilik_klaim).where(Outbox.status == KIRIM).distinct()
        ).scalars()
        dead = [owner for owner in owners if owner and lease.dead_here(owner)]
        limit = now - timedelta(seconds=config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
        active = select(Kunci.pemilik).where(Kunci.berlaku_sampai > now)
        stale = and_(
            Outbox.diklaim < limit,
            or_(Outbox.pemilik_klaim.is_(None), Outbox.pemilik_klaim.not_in(active)),
        )
        return _take_back(or_(Outbox.pemilik_klaim.in_(dead), stale), config, now)

    moved = run_in_transaction(work)
    if moved:
        wake.set()
    return moved


def release_claims(owner, config):
    """A worker whose batch broke off (the database went away in the middle) gives back
    what it still holds; returns how many rows."""
    moved = run_in_transaction(lambda: _take_back(Outbox.pemilik_klaim == owner, config, clock.utcnow()))
    if moved:
        wake.set()
    return moved


def _take_back(whose, config, now):
    """Claimed rows matching `whose` back to the queue: the ones not tried yet as they
    were; the ones that were on the wire (one per send thread) in doubt, after a backoff."""
    gone = (Outbox.status == KIRIM, whose)
    untried = db.session.execute(
        update(Outbox)
        .where(*gone, Outbox.mulai_kirim.is_(None))
        .values(status=ANTRI, token_klaim=None, pemilik_klaim=None)
    ).rowcount
    on_the_wire = db.session.execute(select(Outbox.ido, Outbox.percobaan, Outbox.opsi).where(*gone)).all()
    error = TransportError("worker berhenti saat pesan ini sedang dikirim", in_doubt=True)
    for ido, percobaan, opsi in on_the_wire:
        values = _after_failure(percobaan, opsi, Result(ido, "", error=error), config, now)
        db.session.execute(update(Outbox).where(Outbox.ido == ido).values(**values))
    return untried + len(on_the_wire)


def requeue(row):
    """An admin's 'kirim ulang': a failed row goes back to the queue now (caller commits)."""
    row.status = ANTRI
    row.kirim_setelah = clock.utcnow()
    row.token_klaim = None
    db.session.info["outbox_queued"] = True
