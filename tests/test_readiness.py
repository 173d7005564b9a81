"""/readyz: 200 when the installation does its work, 503 naming the check that fails
(database, migrations, worker lease, outgoing queue); no login, nothing secret."""

import contextlib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import text, update
from sqlalchemy.engine import make_url

from app import clock, lease
from app.extensions import db
from app.messaging import outbox
from app.models import Outbox
from app.worker import LEASE_NAME, Worker
from tests.peers.tcp_proxy import FreezableProxy
from tests.processes import app_environment, free_port
from tests.waiting import wait_until

CHECKS = ["database", "migrations", "worker", "outbox"]
ROOT = Path(__file__).resolve().parent.parent


def hold_lease(app, seconds=30):
    with app.app_context():
        assert lease.acquire(LEASE_NAME, "uji:1:abc", seconds)


def ready(client):
    answer = client.get("/readyz")
    assert answer.headers["Cache-Control"] == "no-store"
    assert set(answer.json["checks"]) == set(CHECKS)
    return answer


def failing(answer):
    return {name for name, check in answer.json["checks"].items() if not check["ok"]}


def test_ready_when_every_check_passes_without_login(app, client):
    hold_lease(app)
    answer = ready(client)
    assert answer.status_code == 200
    assert answer.json["status"] == "ok"
    assert failing(answer) == set()
    assert answer.json["checks"]["migrations"]["detail"].startswith("skema di revisi ")


def test_no_worker_ever_or_an_expired_lease_is_503(app, client):
    answer = ready(client)
    assert (answer.status_code, answer.json["status"], failing(answer)) == (503, "fail", {"worker"})
    assert "jalankan flask --app wsgi worker" in answer.json["checks"]["worker"]["detail"]

    hold_lease(app)
    assert ready(client).status_code == 200
    with app.app_context():
        lease.release(LEASE_NAME, "uji:1:abc")  # as a stopped worker leaves it
    answer = ready(client)
    assert (answer.status_code, failing(answer)) == (503, {"worker"})
    assert answer.json["checks"]["worker"]["detail"].startswith("tidak ada worker aktif sejak ")


def test_a_running_worker_holds_the_lease_readyz_sees(app, client):
    worker = Worker(app).start()
    try:
        assert wait_until(lambda: ready(client).status_code == 200)
    finally:
        worker.stop()
    assert failing(ready(client)) == {"worker"}


def test_the_development_server_is_ready_once_its_embedded_worker_holds_the_lease(app, fonnte, tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port), "--no-reload"],
        cwd=ROOT,
        env=app_environment(app, fonnte, EMBEDDED_WORKER="auto"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def ready_answer():
        assert server.poll() is None, (tmp_path / "server.log").read_text()
        try:
            found = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        except requests.ConnectionError:
            return None  # not listening yet
        return found if found.status_code == 200 else None

    try:
        found = wait_until(ready_answer, 60)
        assert found, (tmp_path / "server.log").read_text()
        assert all(check["ok"] for check in found.json()["checks"].values())
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_a_message_due_longer_than_the_limit_is_a_stuck_queue(app_factory, app):
    hold_lease(app)
    client = app_factory(READY_OUTBOX_MAX_AGE_SECONDS=300).test_client()
    with app.app_context():
        recent = outbox.enqueue("6282111476069", "baru")
        old = outbox.enqueue("6282111476069", "lama")
        later = outbox.enqueue("6282111476069", "nanti")
        now = clock.utcnow()
        for ido, due in ((recent, now - timedelta(seconds=60)), (later, now + timedelta(hours=1))):
            db.session.execute(update(Outbox).where(Outbox.ido == ido).values(kirim_setelah=due))
        db.session.execute(update(Outbox).where(Outbox.ido == old).values(status="terkirim"))
        db.session.commit()
    # Due a minute ago, or waiting for its back-off: the queue moves.
    answer = ready(client)
    assert answer.status_code == 200, answer.json

    with app.app_context():
        db.session.execute(
            update(Outbox)
            .where(Outbox.ido == old)
            .values(status="antri", kirim_setelah=now - timedelta(minutes=10))
        )
        db.session.commit()
    answer = ready(client)
    assert (answer.status_code, failing(answer)) == (503, {"outbox"})
    detail = answer.json["checks"]["outbox"]["detail"]
    assert detail.startswith("pesan tertua menunggu 6") and detail.endswith("detik (batas 300)")


@contextlib.contextmanager
def schema_at(app, revision):
    """The database marked as at `revision` for a while; yields the real head."""
    with app.app_context():
        (head,) = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
        db.session.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": revision})
        db.session.commit()
    try:
        yield head
    finally:
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
            db.session.commit()


def test_a_schema_behind_the_code_is_503(app, client):
    hold_lease(app)
    with schema_at(app, "0009_auth") as head:
        answer = ready(client)
    assert (answer.status_code, failing(answer)) == (503, {"migrations"})
    assert answer.json["checks"]["migrations"]["detail"] == (
        f"skema di revisi 0009_auth, kode ini perlu {head}: jalankan flask --app wsgi init-db"
    )
    assert ready(client).status_code == 200


def test_a_schema_ahead_of_the_running_code_says_to_restart(app, client):
    """install.sh after a `git pull` migrates the database while the old processes still
    run: init-db would do nothing, a restart is what is missing."""
    hold_lease(app)
    with schema_at(app, "0099_dari_git_pull") as head:
        answer = ready(client)
    assert (answer.status_code, failing(answer)) == (503, {"migrations"})
    assert answer.json["checks"]["migrations"]["detail"] == (
        f"skema di revisi 0099_dari_git_pull, lebih baru dari kode yang berjalan ({head}): "
        "mulai ulang layanan (systemctl restart sarpras-web sarpras-worker)"
    )


def test_an_empty_database_says_to_run_init_db(app_factory, tmp_path):
    client = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'kosong.db'}").test_client()
    answer = ready(client)
    assert answer.status_code == 503
    assert failing(answer) == {"migrations", "worker", "outbox"}
    assert answer.json["checks"]["database"]["ok"]
    assert "jalankan flask --app wsgi init-db" in answer.json["checks"]["migrations"]["detail"]


def test_a_database_that_refuses_connections_is_503_and_named_by_nothing_secret(app_factory):
    url = f"mysql+pymysql://sarpras:rahasia-db@127.0.0.1:{free_port()}/sarpras_rahasia"
    client = app_factory(SQLALCHEMY_DATABASE_URI=url).test_client()
    answer = ready(client)
    assert (answer.status_code, failing(answer)) == (503, set(CHECKS))
    assert answer.json["checks"]["database"]["detail"] == "basis data tidak menjawab atau tidak terjangkau"
    body = answer.get_data(as_text=True)
    assert "rahasia" not in body and "sarpras_rahasia" not in body and "127.0.0.1" not in body


def test_a_database_that_hangs_is_503_within_the_short_timeout(app, app_factory):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "mysql":
        pytest.skip("MariaDB only (TEST_DATABASE_URL)")
    hold_lease(app)
    proxy = FreezableProxy(url.host or "127.0.0.1", url.port or 3306).start()
    try:
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        # The web requests' own timeout is far longer: /readyz does not wait for it.
        client = app_factory(
            SQLALCHEMY_DATABASE_URI=through, DATABASE_TIMEOUT_SECONDS=0, READY_DATABASE_TIMEOUT_SECONDS=1
        ).test_client()
        assert ready(client).status_code == 200
        proxy.freeze()
        answer = ready(client)
        assert (answer.status_code, failing(answer)) == (503, set(CHECKS))
        proxy.thaw()
        assert ready(client).status_code == 200
    finally:
        proxy.stop()


def test_healthz_is_json_never_cached_and_names_nothing_secret_when_the_database_fails(app, app_factory):
    answer = app.test_client().get("/healthz")
    assert (answer.status_code, answer.json, answer.headers["Cache-Control"]) == (
        200,
        {"status": "ok"},
        "no-store",
    )

    urls = [f"mysql+pymysql://sarpras:rahasia-db@127.0.0.1:{free_port()}/sarpras_rahasia"]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "mysql":
        # The server answers, and refuses the password: not the panel's 500 page either.
        urls.append(url.set(password="rahasia%40db", database="sarpras_rahasia").render_as_string(False))
    for refused in urls:
        answer = app_factory(SQLALCHEMY_DATABASE_URI=refused).test_client().get("/healthz")
        assert (answer.status_code, answer.json) == (503, {"status": "fail"}), refused
        assert answer.headers["Cache-Control"] == "no-store"
        assert "rahasia" not in answer.get_data(as_text=True)
