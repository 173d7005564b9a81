"""Fixtures: the app on each database backend, a test client, the demo cast, and loopback
peers for the outside services.

Every test that takes `app` runs on SQLite and, when TEST_DATABASE_URL is set, again on
that database (MariaDB in CI).
"""

import os

import pytest
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.cli import seed_demo_people, upgrade_schema
from app.extensions import db
from app.messaging.dispatcher import Dispatcher
from app.messaging.providers.telegram import pacer
from tests.peers.fonnte import FakeFonnte

BACKENDS = ["sqlite"] + (["mysql"] if os.environ.get("TEST_DATABASE_URL") else [])
_migrated = set()

# The demo cast (SPEC "Data").
MARTA = "6282111476069"  # pegawai PGW2402001, TIF/IT
SHE = "6285825335908"  # pegawai PGW2402002, Rektorat/SDM
STRANGER = "6281999000111"  # not in tb_pegawai: a guest
DEVICE = "6281100000000"  # our own WhatsApp number at Fonnte
DERY = "6282111470068"  # Administrator ADM01
NIKOLAI = "6282111470069"  # Staf ADM03
# Each new report also goes to the demo Administrator and active Staf (app/reporting/office.py).
OFFICE = 2


def _wipe_mysql(url):
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        for table in inspect(conn).get_table_names():
            conn.exec_driver_sql(f"DROP TABLE `{table}`")
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = os.environ["TEST_DATABASE_URL"]
    if "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    _wipe_mysql(url)
    return url


def make_app(database_url, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "SECRET_KEY": "test",
        "EMBEDDED_WORKER": "off",
        "WA_PROVIDER": "log",
        "WEBHOOK_TOKEN": None,
        "TRACK_PREFIX": "BRT",
        "INSTITUTION": "ISTN",
        "UNIT_NAME": "BRT",
        "TIMEZONE": "Asia/Jakarta",
        "ALLOW_GUESTS": True,
        "OUTBOX_RETRY_BASE_SECONDS": 0.05,
        "OUTBOX_RETRY_MAX_SECONDS": 0.2,
        "OUTBOX_POLL_SECONDS": 0.05,
        "HTTP_TIMEOUT_SECONDS": 3,
        # The loopback peers serve the files of messages; tests of the refusal turn it off.
        "MEDIA_ALLOW_PRIVATE": True,
        # Fast hashing: the demo cast is seeded before every test.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(overrides)
    return create_app(config)


def quiet_office(app):
    """No new-report messages to the office: for tests of what one person is sent."""
    from app.models import Admin
    from app.models.people import NO_NOTICE

    with app.app_context():
        db.session.query(Admin).update({Admin.notifikasi_laporan: NO_NOTICE})
        db.session.commit()


def reset_database(app):
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"] not in _migrated:
            upgrade_schema()
            _migrated.add(app.config["SQLALCHEMY_DATABASE_URI"])
        tables = [t for t in inspect(db.engine).get_table_names() if t.startswith("tb_")]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
        seed_demo_people()


@pytest.fixture
def app_factory(database_url, tmp_path):
    made = []

    def factory(**overrides):
        app = make_app(database_url, tmp_path, **overrides)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def fresh_telegram_pacer():
    """The per-chat pacer is process-wide, as Telegram's limits are, and every test alerts
    the same chat ids: what earlier tests sent (or a 429 they played) must not make a later
    test's first alert wait its turn."""
    pacer.chats.clear()
    yield
    pacer.chats.clear()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    reset_database(app)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def fonnte():
    peer = FakeFonnte().start()
    yield peer
    peer.stop()


def fonnte_body(message, sender=MARTA, **extra):
    body = {
        "device": DEVICE,
        "sender": sender,
        "message": message,
        "name": extra.pop("name", "Marta WA"),
        "member": "",
        "inboxid": 0,
        "timestamp": 1726486115,
        "location": "",
        "url": "",
        "filename": "",
        "extension": "",
    }
    body.update(extra)
    return body


def send_wa(client, message, sender=MARTA, **extra):
    """Post one Fonnte webhook call as Fonnte would."""
    return client.post("/webhook/fonnte", json=fonnte_body(message, sender, **extra))


def drain(app):
    dispatcher = Dispatcher(app)
    try:
        return dispatcher.drain()
    finally:
        dispatcher.close()


def replies(app, to=None):
    """Texts queued for sending, oldest first (optionally to one number)."""
    from app.models import Outbox

    with app.app_context():
        query = db.session.query(Outbox).order_by(Outbox.ido)
        if to:
            query = query.filter(Outbox.tujuan == to)
        return [row.pesan for row in query]


def sent_message(app, provider, provider_id, to="6282111476069", opsi=None):
    """An outbox row as the worker leaves it once the provider accepted it; returns its id."""
    from app import clock
    from app.messaging import outbox
    from app.models import Outbox
    from app.models.outbox import TERKIRIM

    with app.app_context():
        ido = outbox.enqueue(to, "Balasan uji", opsi=opsi)
        row = db.session.get(Outbox, ido)
        row.status, row.provider, row.id_provider, row.terkirim = (
            TERKIRIM,
            provider,
            provider_id,
            clock.utcnow(),
        )
        db.session.commit()
        return ido


def login(client, username="admin", password="sarpras123"):
    """Log a test client in (a demo account's password); returns the client."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def staf(client):
    return login(client, "nikolai")


@pytest.fixture
def administrator(client):
    return login(client)
