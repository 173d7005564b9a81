"""A send whose outcome is unknown (no answer, or a worker that died while sending) may
have reached the person: it is marked in doubt and resent after the usual backoff only.
A worker that is gone gives its claims back at once when it ran on this machine."""

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from app import clock, lease
from app.extensions import db
from app.messaging import journal, outbox
from app.messaging.dispatcher import Dispatcher
from app.messaging.http import TransportError
from app.models import Outbox
from app.models.outbox import ANTRI, GAGAL, KIRIM, TERKIRIM
from tests.conftest import MARTA, SHE, reset_database
from tests.processes import free_port

BACKOFF = 60  # OUTBOX_RETRY_BASE_SECONDS here: the first retry's wait


def app_sending_to(app_factory, url, token="fonnte-token"):
    app = app_factory(
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=token,
        FONNTE_API_URL=url,
        HTTP_TIMEOUT_SECONDS=0.3,
        OUTBOX_RETRY_BASE_SECONDS=BACKOFF,
        OUTBOX_RETRY_MAX_SECONDS=600,
    )
    reset_database(app)
    return app


@pytest.fixture
def app(app_factory, fonnte):
    return app_sending_to(app_factory, fonnte.url, fonnte.token)


def queue(app, *targets):
    with app.app_context():
        ids = [outbox.enqueue(target, f"pesan untuk {target}") for target in targets]
        db.session.commit()
        return ids


def row(app, ido):
    with app.app_context():
        found = db.session.get(Outbox, ido)
        db.session.expunge(found)
        return found


def outbox_page(app):
    """The panel's Outbox page as a Staf sees it."""
    client = app.test_client()
    assert client.post("/login", data={"username": "nikolai", "password": "sarpras123"}).status_code == 302
    return client.get("/outbox").get_data(as_text=True)


def run_once(app):
    dispatcher = Dispatcher(app)
    try:
        return dispatcher.run_once()
    finally:
        dispatcher.close()


def test_a_send_that_timed_out_is_marked_in_doubt_and_waits_its_backoff(app, fonnte):
    (doubt,) = queue(app, MARTA)
    fonnte.mode = "slow:1"  # answers after our 0.3 s timeout, but takes the message
    dispatcher = Dispatcher(app)
    try:
        dispatcher.run_once()
        assert fonnte.wait_for(1, timeout=10)  # it did arrive
        timed_out = row(app, doubt)
        assert (timed_out.status, timed_out.percobaan) == (ANTRI, 1)
        assert timed_out.galat.startswith("Status pengiriman tidak pasti: Waktu habis menunggu jawaban")
        with app.app_context():
            wait = (timed_out.kirim_setelah - clock.utcnow()).total_seconds()
        assert BACKOFF - 5 < wait <= BACKOFF
        assert "Status pengiriman tidak pasti" in outbox_page(app)

        # Fonnte answers again: a reply to someone else goes, which sends every retry that
        # waits after a failure at once; the one in doubt keeps waiting.
        fonnte.mode = "ok"
        (other,) = queue(app, SHE)
        dispatcher.drain()
    finally:
        dispatcher.close()
    assert row(app, other).status == TERKIRIM
    assert row(app, doubt).kirim_setelah == timed_out.kirim_setelah
    assert [m["target"] for m in fonnte.received] == [MARTA, SHE]

    with app.app_context():
        clock.freeze(clock.local_now() + timedelta(seconds=BACKOFF + 1))
        try:
            assert run_once(app) == 1
        finally:
            clock.freeze(None)
    resent = row(app, doubt)
    assert (resent.status, resent.percobaan, resent.galat) == (TERKIRIM, 2, "")
    assert "mungkin diterima dua kali" in resent.keterangan


def test_a_failure_to_connect_is_no_doubt(app_factory):
    app = app_sending_to(app_factory, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    (ido,) = queue(app, MARTA)
    run_once(app)
    refused = row(app, ido)
    assert refused.galat.startswith("Tidak dapat terhubung")
    assert refused.mulai_kirim is None
    with app.app_context():
        assert outbox.retry_now("whatsapp") == 1  # may go early once the provider is back


def dead_owner():
    """The lease owner name of a process on this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:abc123"


def claimed_by(app, owner, count, started, outcomes=(), boot=None):
    """`count` rows claimed by `owner`, as its journal tells: the first `started` were sent,
    and of those the first ones have the `outcomes` given (provider ids, or errors)."""
    ids = queue(app, *[f"6281200000{n:03d}" for n in range(count)])
    with app.app_context():
        items = outbox.claim(count, owner)
    notes = journal.Journal(app.config["INSTANCE_DIR"], owner)
    if boot is not None:  # the journal of a worker from before the machine restarted
        os.ftruncate(notes.fd, 0)
        os.write(notes.fd, journal.header_line(owner, boot))
    for item in items[:started]:
        notes.started(item.ido)
    for item, outcome in zip(items, outcomes, strict=False):
        if isinstance(outcome, Exception):
            notes.finished(outbox.Result(item.ido, "fonnte", error=outcome))
        else:
            notes.finished(outbox.Result(item.ido, "fonnte", outcome, keterangan="diterima"))
    notes.close()
    return ids


def test_the_claims_of_a_dead_worker_on_this_machine_come_back_at_once(app):
    ids = claimed_by(app, dead_owner(), 5, started=2)
    with app.app_context():
        assert outbox.reclaim_stale(app.config) == 5
        now = clock.utcnow()
    rows = [row(app, ido) for ido in ids]
    assert {r.status for r in rows} == {ANTRI}
    for on_the_wire in rows[:2]:
        assert on_the_wire.percobaan == 1
        assert on_the_wire.galat.startswith("Status pengiriman tidak pasti: worker berhenti")
        assert (on_the_wire.kirim_setelah - now).total_seconds() > BACKOFF - 5
    for untried in rows[2:]:
        assert (untried.percobaan, untried.galat) == (0, "")
        assert untried.kirim_setelah <= now
    with app.app_context():
        assert len(outbox.claim(10)) == 3  # the untried ones go now
    assert not list((Path(app.config["INSTANCE_DIR"]) / journal.FOLDER).glob("*.jsonl"))


def test_what_a_dead_worker_s_journal_says_is_recorded_as_it_would_have_been(app):
    refused = TransportError("Nomor tidak terdaftar", permanent=True)
    ids = claimed_by(app, dead_owner(), 5, started=4, outcomes=["F-1", refused, "F-3"])
    with app.app_context():
        assert outbox.reclaim_stale(app.config) == 5
    sent, failed, sent_too, on_the_wire, untried = [row(app, ido) for ido in ids]
    for done, provider_id in ((sent, "F-1"), (sent_too, "F-3")):  # not to be sent again
        assert (done.status, done.id_provider, done.keterangan, done.percobaan) == (
            TERKIRIM,
            provider_id,
            "diterima",
            1,
        )
    assert (failed.status, failed.galat) == (GAGAL, "Nomor tidak terdaftar")
    assert on_the_wire.galat.startswith("Status pengiriman tidak pasti")
    assert (untried.status, untried.percobaan) == (ANTRI, 0)
    with app.app_context():
        assert [item.ido for item in outbox.claim(10)] == [untried.ido]


def test_a_journal_from_before_the_machine_restarted_tells_only_its_outcomes(app):
    """Lines not yet on disk die with the machine: a row without one may have been sent,
    so the rest waits for the claim timeout, in doubt, like another machine's claims."""
    ids = claimed_by(app, dead_owner(), 3, started=2, outcomes=["F-1"], boot="an-earlier-boot")
    with app.app_context():
        assert outbox.reclaim_stale(app.config) == 1
        assert [row(app, ido).status for ido in ids] == [TERKIRIM, KIRIM, KIRIM]
        clock.freeze(clock.local_now() + timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1))
        try:
            assert outbox.reclaim_stale(app.config) == 2
        finally:
            clock.freeze(None)
    for ido in ids[1:]:
        assert row(app, ido).galat.startswith("Status pengiriman tidak pasti")


@pytest.mark.parametrize(
    "owner",
    [
        f"{socket.gethostname()}:{os.getpid()}:abc123",  # alive
        f"server-lain:{2**22 + 1}:abc123",  # another machine: only the timeout tells
        "no-journal",  # a dead worker of this machine whose journal is gone
    ],
    ids=["alive", "another-machine", "no-journal"],
)
def test_claims_that_may_still_be_worked_on_are_left_until_the_timeout(app, owner):
    if owner == "no-journal":
        owner = dead_owner()
        (ido,) = claimed_by(app, owner, 1, started=0)
        journal.path_for(app.config["INSTANCE_DIR"], owner).unlink(missing_ok=True)
    else:
        (ido,) = claimed_by(app, owner, 1, started=1)
    with app.app_context():
        assert outbox.reclaim_stale(app.config) == 0
        assert row(app, ido).status == KIRIM
        later = clock.local_now() + timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1)
        clock.freeze(later)
        try:
            assert outbox.reclaim_stale(app.config) == 1
        finally:
            clock.freeze(None)
    assert row(app, ido).galat.startswith("Status pengiriman tidak pasti")


def test_the_active_worker_s_claims_outlast_the_timeout(app):
    """A batch to a slow provider can take longer than OUTBOX_CLAIM_TIMEOUT_SECONDS: the
    worker holding the lease is still sending it, and nobody else may."""
    owner = f"server-lain:{2**22 + 1}:abc123"
    with app.app_context():
        assert lease.acquire("worker", owner, 24 * 3600)
    (ido,) = claimed_by(app, owner, 1, started=1)
    with app.app_context():
        clock.freeze(clock.local_now() + timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1))
        try:
            assert outbox.reclaim_stale(app.config) == 0
        finally:
            clock.freeze(None)
    assert row(app, ido).status == KIRIM


def test_a_worker_whose_batch_broke_off_gives_back_what_it_held(app):
    owner = lease.owner_name()
    ids = claimed_by(app, owner, 3, started=1)
    with app.app_context():
        assert outbox.release_claims(owner, app.config) == 3
    rows = [row(app, ido) for ido in ids]
    assert [(r.status, r.galat.startswith("Status pengiriman tidak pasti")) for r in rows] == [
        (ANTRI, True),
        (ANTRI, False),
        (ANTRI, False),
    ]
