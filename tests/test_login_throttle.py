"""Login throttling kept in the database (app/login_throttle.py): per username and
client address, and per client address alone; shared by every process; X-Forwarded-For
believed only behind PROXY_COUNT proxies."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app import clock
from app.extensions import db
from app.jobs import JOBS
from app.login_throttle import wait_seconds
from app.models import LoginGagal

ROOT = Path(__file__).resolve().parent.parent
ATTACKER = "203.0.113.9"
USER = "198.51.100.20"
PROXY = "127.0.0.1"
WINDOW = timedelta(minutes=15)
T0 = datetime(2026, 11, 30, 8, 0, 0)


def seconds_ago(*seconds):
    return [T0 - timedelta(seconds=s) for s in seconds]


@pytest.mark.parametrize(
    ("times", "limit", "expected"),
    [
        ([], 5, 0),
        (seconds_ago(1, 2, 3, 4), 5, 0),
        (seconds_ago(1, 2, 3, 4, 5), 5, 895),
        (seconds_ago(1, 2, 3, 4, 600), 5, 300),
        (seconds_ago(1, 2, 3, 4, 900), 5, 0),  # the oldest just left the window
        (seconds_ago(1, 2, 3, 4, 5000), 5, 0),
        (seconds_ago(10, 20), 1, 890),
        ([T0 - timedelta(seconds=899.5)] * 5, 5, 1),  # never 0 while still refused
    ],
)
def test_how_long_to_wait(times, limit, expected):
    assert wait_seconds(times, limit, WINDOW, T0) == expected


def attempt(client, password="salah", username="nikolai", address=ATTACKER, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_an_attacker_is_stopped_and_the_owner_still_logs_in(app, client):
    codes = [attempt(client).status_code for _ in range(5)]
    assert codes == [200] * 5
    refused = attempt(client)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 900
    assert "Terlalu banyak percobaan masuk" in refused.get_data(as_text=True)
    # the right password from the attacker's address waits too (nothing is checked)...
    assert attempt(client, "sarpras123").status_code == 429
    # ...while the owner, elsewhere, logs in
    owner = app.test_client()
    assert attempt(owner, "sarpras123", address=USER).status_code == 302
    assert owner.get("/beranda").status_code == 200
    # and another account from the attacker's address is not locked by this one
    assert attempt(client, "sarpras123", username="admin").status_code == 302


def test_many_usernames_from_one_address_are_stopped_too(app, client):
    limit = app.config["LOGIN_FAILURES_PER_ADDRESS"]
    codes = [attempt(client, username=f"tebakan{n}").status_code for n in range(limit)]
    assert codes == [200] * limit
    assert attempt(client, username="tebakan-lagi").status_code == 429
    assert attempt(client, "sarpras123", username="admin").status_code == 429
    assert attempt(app.test_client(), "sarpras123", username="admin", address=USER).status_code == 302


def test_the_wait_ends_with_the_window(app, client):
    for _ in range(5):
        attempt(client)
    assert attempt(client).status_code == 429
    clock.freeze(datetime.now(UTC) + timedelta(seconds=app.config["LOGIN_FAILURE_WINDOW_SECONDS"] + 1))
    try:
        assert attempt(client, "sarpras123").status_code == 302
    finally:
        clock.freeze(None)


def test_a_good_login_forgives_that_accounts_failures_from_that_address(app, client):
    for _ in range(4):
        attempt(client)
    assert attempt(client, "sarpras123").status_code == 302
    client.post("/logout")
    assert [attempt(client).status_code for _ in range(5)] == [200] * 5
    assert attempt(client).status_code == 429


def test_the_limit_holds_across_two_app_instances(app, app_factory):
    other = app_factory()
    first, second = app.test_client(), other.test_client()
    codes = [attempt(first if n % 2 else second).status_code for n in range(5)]
    assert codes == [200] * 5
    assert attempt(first).status_code == 429
    assert attempt(second).status_code == 429


def test_parallel_guesses_never_pass_the_limit(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/login"
    codes = []

    def guess(n):
        response = requests.post(url, data={"username": "nikolai", "password": f"salah{n}"}, timeout=60)
        codes.append(response.status_code)

    try:
        guessers = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
        for guesser in guessers:
            guesser.start()
        for guesser in guessers:
            guesser.join()
    finally:
        server.shutdown()
    assert sorted(set(codes)) == [200, 429] and codes.count(200) <= 5
    with app.app_context():
        assert db.session.query(LoginGagal).count() <= 5


class TestProxyCount:
    def test_without_proxies_x_forwarded_for_is_not_believed(self, client):
        codes = [attempt(client, forwarded=f"192.0.2.{n}").status_code for n in range(6)]
        assert codes == [200] * 5 + [429]

    @pytest.fixture
    def behind_nginx(self, app_factory, app):
        return app_factory(PROXY_COUNT=1).test_client()

    def test_behind_a_proxy_each_client_is_counted_apart(self, behind_nginx):
        codes = [attempt(behind_nginx, address=PROXY, forwarded=ATTACKER).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        # a forged entry in front of the proxy's own does not change the address
        assert attempt(behind_nginx, address=PROXY, forwarded=f"192.0.2.1, {ATTACKER}").status_code == 429
        # the owner behind the same proxy logs in
        assert attempt(behind_nginx, "sarpras123", address=PROXY, forwarded=USER).status_code == 302


def test_old_failures_are_purged_by_the_worker(app):
    (job,) = [job for job in JOBS if job.id == "login-failures-purge"]
    now = clock.utcnow()
    with app.app_context():
        for age in (60, 899, 901, 86400):
            db.session.add(LoginGagal(username="x", alamat=ATTACKER, waktu=now - timedelta(seconds=age)))
        db.session.commit()
        assert job.func(app.config) == 2
        assert db.session.query(LoginGagal).count() == 2


# --- real processes: gunicorn with two workers, each recycled after one request --------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, tmp_path):
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=str(tmp_path / "gunicorn-instance"),
        SECRET_KEY="uji-gunicorn",
        EMBEDDED_WORKER="off",
        WA_PROVIDER="log",
        PROXY_COUNT="0",
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115  (closed below)
    # --max-requests 1: every request is served by a fresh process, so nothing kept in
    # a process's memory can count the failures.
    # No control socket: its default path is one per machine, shared with other runs.
    args = [sys.executable, "-m", "gunicorn", "-w", "2", "--max-requests", "1", "--no-control-socket"]
    args += ["-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*args, "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                if requests.get(f"{base}/healthz", timeout=30).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_limit_holds_across_gunicorn_processes(gunicorn):
    browser = requests.Session()
    page = browser.get(f"{gunicorn}/login", timeout=60).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def post(password):
        form = {"username": "nikolai", "password": password, "csrf_token": token}
        return browser.post(f"{gunicorn}/login", data=form, allow_redirects=False, timeout=60)

    assert [post(f"salah{n}").status_code for n in range(5)] == [200] * 5
    refused = post("salah")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert post("sarpras123").status_code == 429
