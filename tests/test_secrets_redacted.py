"""No token, password or signing key reaches a log line, a stored error or a page, whatever
the outside services do: the worker runs against loopback peers that refuse, fail, hang or
reject our credentials, every logger is captured at DEBUG (urllib3 and pyTelegramBotAPI
included), and the captured text is searched for each configured secret."""

import logging
import socket
import traceback

import pytest

from app.database import run_in_transaction
from app.extensions import db
from app.messaging import outbox
from app.models import Outbox, Router
from app.netmon import poller, routers
from app.redaction import MASK, redact
from app.worker import Worker
from tests.conftest import MARTA, login, reset_database
from tests.netmon_helpers import CHATS
from tests.peers.fonnte import FakeFonnte
from tests.peers.graph import FakeGraph
from tests.peers.routeros import FakeRouter
from tests.peers.telegram import FakeTelegram
from tests.waiting import wait_until

SECRETS = {
    "TELEGRAM_BOT_TOKEN": "987654321:AAHsecretTelegramTokenValue_xyz12345",
    "FONNTE_TOKEN": "fonnte-SECRET-device-token-7781",
    "WHATSAPP_ACCESS_TOKEN": "EAAGsecretMetaAccessTokenZZ99",
    "WHATSAPP_APP_SECRET": "meta-app-secret-4d2c9e",
    "WEBHOOK_TOKEN": "webhook-secret-token-5b1a",
    "NETMON_HOOK_TOKEN": "netmon-hook-secret-0c3f",
    "SECRET_KEY": "signing-secret-key-9f8e7d6c",
}
ROUTER_PASSWORD = "router-secret-pass-31"
# The bot's id before the colon is public; what follows it is the secret.
TELEGRAM_SECRET_PART = SECRETS["TELEGRAM_BOT_TOKEN"].split(":")[1]


def leaked(text):
    values = [*SECRETS.values(), TELEGRAM_SECRET_PART, ROUTER_PASSWORD]
    return [value for value in values if value in text]


def capture_everything(caplog):
    for name in (None, "TeleBot", "urllib3", "routeros_api"):
        caplog.set_level(logging.DEBUG, logger=name)


def log_text(caplog):
    """Every captured record as a handler writes it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def dead_url():
    """A loopback address where nothing listens: connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- the function itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Max retries exceeded with url: /bot123456789:AAF1-abcdefghijklmnopqrstuvwxyz012/getUpdates",
            f"Max retries exceeded with url: /bot123456789:{MASK}/getUpdates",
        ),
        ("token 123456789:AAF1-abcdefghijklmnopqrstuvwxyz012 alone", f"token 123456789:{MASK} alone"),
        ("GET /webhook/fonnte?token=abc123&x=1", f"GET /webhook/fonnte?token={MASK}&x=1"),
        (
            "https://graph/x?fields=url&access_token=EAAB.c-d",
            f"https://graph/x?fields=url&access_token={MASK}",
        ),
        ("mysql+pymysql://sarpras:Pa55word@db/sarpras", f"mysql+pymysql://sarpras:{MASK}@db/sarpras"),
        ("Authorization: Bearer EAAGxyz.123", f"Authorization: Bearer {MASK}"),
        ("jam 10:15:30, laporan BRT2411001", "jam 10:15:30, laporan BRT2411001"),
        ("Tidak dapat terhubung ke 127.0.0.1:8080", "Tidak dapat terhubung ke 127.0.0.1:8080"),
    ],
)
def test_redact_masks_secrets_that_no_setting_names(text, expected):
    assert redact(text) == expected


def test_redact_masks_configured_secrets_and_their_url_forms(app_factory):
    app_factory(FONNTE_TOKEN="a/b+c secret", SECRET_KEY="k" * 40)
    assert redact("Authorization a/b+c secret, a%2Fb%2Bc%20secret, a%2Fb%2Bc+secret") == (
        f"Authorization {MASK}, {MASK}, {MASK}"
    )
    assert redact("key=" + "k" * 40) == f"key={MASK}"


# -- the worker against failing peers ------------------------------------------------------


class Broken:
    """Where each service's URL points for one way of failing, and the peers behind it."""

    def __init__(self, kind):
        self.peers = []
        if kind == "refused":
            base = dead_url()
            self.telegram, self.fonnte, self.graph = base, f"{base}/send", f"{base}/v21.0"
        elif kind in ("http500", "timeout"):
            # A server that answers every POST with 500, or too late; Telegram's GET
            # (getUpdates) gets 501 from it.
            peer = self._start(FakeFonnte())
            peer.mode = "http500" if kind == "http500" else "slow:3"
            self.telegram, self.fonnte, self.graph = peer.address(""), peer.url, peer.address("/v21.0")
        else:  # our credentials are refused
            self.telegram = self._start(FakeTelegram("111:other-token")).base_url
            self.fonnte = self._start(FakeFonnte("other-token")).url
            self.graph = self._start(FakeGraph("other-token")).api_url

    def _start(self, peer):
        self.peers.append(peer.start())
        return peer

    def stop(self):
        for peer in self.peers:
            peer.stop()


@pytest.fixture(params=["refused", "http500", "timeout", "unauthorized"])
def broken(request):
    services = Broken(request.param)
    yield services
    services.stop()


@pytest.fixture(params=["fonnte", "cloud"])
def worker_app(app_factory, broken, request):
    # Made before the test runs: the first migration reconfigures logging (Alembic's
    # fileConfig), which would drop the capture handler of a test already running.
    app = app_factory(
        **SECRETS,
        WA_PROVIDER=request.param,
        FONNTE_API_URL=broken.fonnte,
        WHATSAPP_API_URL=broken.graph,
        WHATSAPP_PHONE_NUMBER_ID="1234567890",
        TELEGRAM_API_URL=broken.telegram,
        TELEGRAM_ADMIN_CHAT_IDS=CHATS,
        TELEGRAM_POLL_TIMEOUT=1,
        HTTP_TIMEOUT_SECONDS=0.5,
        # One attempt each is all this test needs to see.
        OUTBOX_RETRY_BASE_SECONDS=600,
        OUTBOX_RETRY_MAX_SECONDS=600,
    )
    reset_database(app)
    return app


def errors_stored(app):
    with app.app_context():
        return [row.galat for row in db.session.query(Outbox).order_by(Outbox.ido)]


def telegram_poll_failed(caplog):
    return [r for r in caplog.records if r.name == "sarpras.telegram" and r.levelno >= logging.WARNING]


def test_failing_services_leave_no_secret_in_logs_outbox_or_page(worker_app, caplog):
    app = worker_app
    capture_everything(caplog)
    with app.app_context():

        def work():
            outbox.enqueue(MARTA, "Balasan uji")
            outbox.enqueue(CHATS[0], "Peringatan uji", kanal="telegram")

        run_in_transaction(work)
    worker = Worker(app).start()
    try:
        # Both sends failed and were recorded, and the long poll failed at least once.
        assert wait_until(lambda: all(errors_stored(app)), timeout=30), errors_stored(app)
        assert wait_until(lambda: telegram_poll_failed(caplog), timeout=30)
    finally:
        worker.stop()
    client = app.test_client()
    login(client)
    page = client.get("/outbox").get_data(as_text=True)
    stored = errors_stored(app)
    assert all(error in page for error in stored)
    assert leaked(log_text(caplog)) == []
    assert leaked("\n".join(stored)) == []
    assert leaked(page) == []


# -- routers and the database --------------------------------------------------------------


@pytest.fixture
def router_app(app_factory):
    app = app_factory(**SECRETS, ROUTEROS_PASSWORD=ROUTER_PASSWORD)
    reset_database(app)
    return app


def add_router(app, name, port, password):
    def work():
        router = routers.new_router(name, "127.0.0.1", port, "admin", password, False)
        db.session.flush()
        return router.id_router

    with app.app_context():
        return run_in_transaction(work)


def test_router_failures_leave_no_password_in_logs_errors_or_pages(router_app, caplog):
    capture_everything(caplog)
    peer = FakeRouter(password="the-right-one").start()
    try:
        wrong = add_router(router_app, "salah", peer.port, ROUTER_PASSWORD)
        gone = add_router(router_app, "mati", int(dead_url().rsplit(":", 1)[1]), ROUTER_PASSWORD + "-2")
        with router_app.app_context():
            answers = [routers.test_connection(db.session.get(Router, i)) for i in (wrong, gone)]
            poller.poll_all(router_app.config)
            stored = [db.session.get(Router, i).galat for i in (wrong, gone)]
    finally:
        peer.stop()
    assert [ok for ok, _ in answers] == [False, False] and all(stored)
    client = router_app.test_client()
    login(client)
    pages = [client.get(url).get_data(as_text=True) for url in ("/netmon/router", "/netmon/")]
    texts = [log_text(caplog), *(reason for _, reason in answers), *stored, *pages]
    assert leaked("\n".join(texts)) == []
    assert ROUTER_PASSWORD + "-2" not in "\n".join(texts)


def test_an_unreachable_database_does_not_show_its_password(app_factory, caplog):
    capture_everything(caplog)
    password = "db-secret-pw-66"
    url = f"mysql+pymysql://sarpras:{password}@{dead_url().split('//')[1]}/sarpras?connect_timeout=2"
    app = app_factory(SQLALCHEMY_DATABASE_URI=url)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code != 0
    shown = result.output + "".join(traceback.format_exception(result.exception)) + log_text(caplog)
    assert "127.0.0.1" in shown and password not in shown
    assert password not in redact(str(result.exception))
