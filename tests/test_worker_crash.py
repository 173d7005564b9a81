"""`kill -9` of the worker in the middle of a batch: at most the messages on the wire at
that instant (one per send thread) go twice, and the rest go soon after a restart instead
of after OUTBOX_CLAIM_TIMEOUT_SECONDS."""

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from app.extensions import db
from app.messaging import outbox
from app.models import Outbox
from app.models.outbox import TERKIRIM
from tests.conftest import reset_database
from tests.processes import app_environment
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
REPLIES = 50
SEND_THREADS = 2


@pytest.fixture
def app(app_factory):
    app = app_factory()
    reset_database(app)
    return app


def start_worker(app, fonnte, log_path):
    env = app_environment(app, fonnte, EMBEDDED_WORKER="off", OUTBOX_SEND_THREADS=str(SEND_THREADS))
    with open(log_path, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def states(app):
    """Each row's status, and whether it waits as a send in doubt."""
    with app.app_context():
        rows = db.session.query(Outbox.status, Outbox.galat).all()
        db.session.rollback()  # a fresh snapshot next time (MariaDB's repeatable read)
    return [(status, galat.startswith(outbox.IN_DOUBT)) for status, galat in rows]


def expect(condition, timeout, what, process=None):
    """Wait for condition (giving up early when the worker process ended)."""
    ended = process.poll if process is not None else lambda: None
    wait_until(lambda: condition() or ended() is not None, timeout, interval=0.05)
    assert condition(), f"not within {timeout} s: {what}"


def test_a_killed_worker_sends_at_most_one_message_per_thread_twice(app, fonnte, tmp_path):
    targets = [f"6281200{n:06d}" for n in range(REPLIES)]
    with app.app_context():
        for target in targets:
            outbox.enqueue(target, f"Balasan untuk {target}")
        db.session.commit()
    fonnte.mode = "slow:0.2"  # the batch takes seconds: time to kill it halfway
    log_path = tmp_path / "worker.log"
    first = start_worker(app, fonnte, log_path)
    try:
        expect(lambda: len(fonnte.received) >= 6, 60, "the first replies", first)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = len(fonnte.received)

    fonnte.mode = "ok"
    restarted = time.monotonic()
    second = start_worker(app, fonnte, log_path)
    try:
        expect(
            lambda: all(status == TERKIRIM or doubt for status, doubt in states(app)),
            60,
            f"every row sent or in doubt (see {log_path})",
            second,
        )
        untried_sent = time.monotonic() - restarted
        expect(
            lambda: {status for status, _ in states(app)} == {TERKIRIM},
            60,
            f"every row sent (see {log_path})",
            second,
        )
        all_sent = time.monotonic() - restarted
    finally:
        second.terminate()
        second.wait(timeout=15)

    sent = Counter(m["target"] for m in fonnte.received)
    twice = sorted(target for target, times in sent.items() if times > 1)
    # The figure behind the goal "everything else within 10 s of the restart": measured,
    # not asserted (the machine's load decides it); see the README.
    print(
        f"worker killed after {killed_at} replies; {len(twice)} sent twice; after the restart "
        f"(the new process's start included) all but those in doubt sent in {untried_sent:.1f} s, "
        f"all {REPLIES} in {all_sent:.1f} s"
    )
    assert set(sent) == set(targets)
    assert len(twice) <= SEND_THREADS
    assert max(sent.values()) <= 2
    with app.app_context():
        rows = {r.tujuan: r for r in db.session.query(Outbox)}
    for target in twice:  # the admin can see which may have arrived twice
        assert "mungkin diterima dua kali" in rows[target].keterangan
