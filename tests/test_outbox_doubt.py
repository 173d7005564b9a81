"""A send whose outcome is unknown (no answer, or a worker that died while sending) may
have reached the person: it is marked in doubt and resent after the usual backoff only.
A worker that is gone gives its claims back at once when it ran on this machine."""

import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from app import clock, lease
from app.extensions import db
from app.messaging import outbox
from app.messaging.dispatcher import Dispatcher
from app.models import Outbox
from app.models.outbox import ANTRI, KIRIM, TERKIRIM
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


def claimed_by(app, owner, count, started):
    """`count` rows claimed by `owner`, of which the first `started` were on the wire."""
    ids = queue(app, *[f"6281200000{n:03d}" for n in range(count)])
    with app.app_context():
        items = outbox.claim(count, owner)
        recorder = outbox.Recorder(app.config)
        for item in items[:started]:
            recorder.write([], start=item)
        recorder.close()
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


@pytest.mark.parametrize(
    "owner",
    [
        f"{socket.gethostname()}:{__import__('os').getpid()}:abc123",  # alive
        f"server-lain:{2**22 + 1}:abc123",  # another machine: only the timeout tells
    ],
    ids=["alive", "another-machine"],
)
def test_claims_that_may_still_be_worked_on_are_left_until_the_timeout(app, owner):
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
