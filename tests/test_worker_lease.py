"""One worker runs the jobs and sends (a lease in tb_kunci); a restart must not hold
replies back until the old lease runs out."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import lease
from app.extensions import db
from app.models import Kunci, Outbox
from app.models.outbox import TERKIRIM
from tests.conftest import MARTA, fonnte_body, reset_database
from tests.processes import app_environment, free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def finished_pid():
    """The pid of a process that has ended, as a killed worker's would be."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def holder(app):
    with app.app_context():
        from app.extensions import db

        return db.session.get(Kunci, "worker").pemilik


def test_the_lease_of_a_dead_process_on_this_machine_is_taken_at_once(app):
    dead = f"{socket.gethostname()}:{finished_pid()}:abc123"
    with app.app_context():
        assert lease.acquire("worker", dead, 30)
        assert lease.acquire("worker", lease.owner_name(), 30)
    assert holder(app) != dead


@pytest.mark.parametrize(
    "owner",
    [
        f"{socket.gethostname()}:{os.getpid()}:abc123",  # alive
        f"server-lain:{2**22 + 1}:abc123",  # another machine: its processes are not ours to see
        "tanpa-format",
    ],
    ids=["alive", "another-machine", "unreadable"],
)
def test_a_lease_that_may_still_be_in_use_is_respected(app, owner):
    with app.app_context():
        assert lease.acquire("worker", owner, 30)
        assert not lease.acquire("worker", lease.owner_name(), 30)
    assert holder(app) == owner


def wait_until_listening(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server ended: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


def development_server(app, fonnte, port):
    """`flask run` as run.sh starts it: the worker inside the web process."""
    env = app_environment(app, fonnte, EMBEDDED_WORKER="auto", TRACK_PREFIX="BRT")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port), "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_listening(port, process)
    return process


@pytest.mark.parametrize(
    "stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"]
)
def test_a_restarted_development_server_answers_at_once(app, fonnte, stop):
    import requests

    port = free_port()
    first = development_server(app, fonnte, port)
    try:
        body = fonnte_body("#help", inboxid=0)
        requests.post(f"http://127.0.0.1:{port}/webhook/fonnte", json=body, timeout=10)
        assert len(fonnte.wait_for(1)) == 1
        # Killed while the reply is still on the wire, it would rightly go again after
        # the back-off (in doubt): stop the server once the send is recorded.
        assert wait_until(lambda: _recorded_as_sent(app))
    finally:
        first.send_signal(stop)
        first.wait(timeout=15)
    second = development_server(app, fonnte, port)
    try:
        requests.post(f"http://127.0.0.1:{port}/webhook/fonnte", json=body, timeout=10)
        # The old lease would last 30 s; the new server must not wait it out.
        arrived = fonnte.wait_for(2, timeout=10)
        assert len(arrived) == 2 and arrived[1]["target"] == MARTA
    finally:
        second.terminate()
        second.wait(timeout=15)


def _recorded_as_sent(app):
    with app.app_context():
        db.session.remove()
        return db.session.query(Outbox).filter(Outbox.status == TERKIRIM).count() == 1


@pytest.fixture
def app(app_factory):
    app = app_factory()
    reset_database(app)
    return app
