"""Delivery states from Fonnte, and device health: a disconnected WhatsApp number or sends
failing in a row alert the Administrators on Telegram and put a banner in the panel."""

import pytest

from app.extensions import db
from app.messaging.dispatcher import Dispatcher
from app.models import Outbox, Perangkat
from tests.conftest import login, reset_database, send_wa, sent_message
from tests.waiting import wait_until

CHATS = ["1001"]
MARTA = "6282111476069"
DEVICE = "6281100000000"


@pytest.fixture
def app(app_factory):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, WA_FAILURE_ALERT_AFTER=3)
    reset_database(app)
    return app


def telegram_alerts(app):
    with app.app_context():
        return [
            r.pesan for r in db.session.query(Outbox).filter(Outbox.kanal == "telegram").order_by(Outbox.ido)
        ]


def banner(client):
    return "WhatsApp bermasalah" in client.get("/beranda").get_data(as_text=True)


def sent_row(app, provider_id):
    return sent_message(app, "fonnte", provider_id)


# --- Fonnte's message-status webhook ------------------------------------------------------


@pytest.mark.parametrize("url", ["/webhook/fonnte/status", "/webhook/fonnte"])
def test_fonnte_status_updates_the_row_it_is_about(app, client, url):
    ido = sent_row(app, "80367171")
    for body, expected in (
        (
            {"device": DEVICE, "id": "80367171", "stateid": "s1", "status": "sent", "state": "sent"},
            "terkirim",
        ),
        ({"device": DEVICE, "id": "80367171", "stateid": "s2", "status": "sent", "state": "read"}, "dibaca"),
        (
            {"device": DEVICE, "id": "80367171", "stateid": "s3", "status": "sent", "state": "delivered"},
            "dibaca",
        ),
    ):
        assert client.post(url, json=body).status_code == 200
        with app.app_context():
            assert db.session.get(Outbox, ido).status_antar == expected


def test_fonnte_status_of_a_failed_message_keeps_why(app, client):
    ido = sent_row(app, "80367172")
    client.post(
        "/webhook/fonnte/status", json={"id": "80367172", "stateid": "x", "status": "failed", "state": ""}
    )
    with app.app_context():
        row = db.session.get(Outbox, ido)
        assert row.status_antar == "gagal" and "Fonnte" in row.galat


def test_fonnte_status_needs_the_webhook_token_when_one_is_set(app_factory):
    app = app_factory(WEBHOOK_TOKEN="rahasia")
    reset_database(app)
    client = app.test_client()
    body = {"id": "1", "stateid": "x", "state": "read"}
    assert client.post("/webhook/fonnte/status", json=body).status_code == 401
    assert client.post("/webhook/fonnte/status?token=salah", json=body).status_code == 403
    assert client.post("/webhook/fonnte/status?token=rahasia", json=body).status_code == 200


@pytest.mark.parametrize(
    "url, body",
    [
        ("/webhook/fonnte/status", {"device": DEVICE}),
        ("/webhook/fonnte/status", {"id": {"x": 1}, "state": "read"}),
        ("/webhook/fonnte/device", {"device": DEVICE, "status": "maybe"}),
        ("/webhook/fonnte/device", {"device": [1], "status": "connect"}),
    ],
)
def test_bad_status_bodies_get_400(client, url, body):
    assert client.post(url, json=body).status_code == 400


# --- Fonnte's device webhook ---------------------------------------------------------------


def test_a_disconnected_device_alerts_once_and_shows_a_banner_until_it_is_back(app, client):
    login(client)
    assert not banner(client)
    down = {"device": DEVICE, "status": "disconnect", "timestamp": 1732338000, "reason": "logout from phone"}
    for _ in range(2):
        assert client.post("/webhook/fonnte/device", json=down).status_code == 200
    (alert,) = telegram_alerts(app)
    assert "terputus" in alert and "logout from phone" in alert
    page = client.get("/beranda").get_data(as_text=True)
    assert "WhatsApp bermasalah" in page and "logout from phone" in page

    up = {"device": DEVICE, "status": "connect", "timestamp": 1732338600}
    assert client.post("/webhook/fonnte", json=up).status_code == 200
    assert "tersambung kembali" in telegram_alerts(app)[-1]
    assert len(telegram_alerts(app)) == 2
    assert not banner(client)


def test_the_alert_escapes_what_fonnte_said_for_telegram_html(app, client):
    down = {"device": DEVICE, "status": "disconnect", "reason": "<logout> & bye"}
    client.post("/webhook/fonnte/device", json=down)
    (alert,) = telegram_alerts(app)
    assert "&lt;logout&gt; &amp; bye" in alert and "<b>WhatsApp" in alert


def test_a_device_that_connects_without_having_been_down_raises_nothing(app, client):
    client.post("/webhook/fonnte/device", json={"device": DEVICE, "status": "connect"})
    assert telegram_alerts(app) == []
    with app.app_context():
        assert db.session.get(Perangkat, f"fonnte:{DEVICE}").status == "terhubung"


def test_the_banner_is_for_panel_users_only(app, client):
    client.post("/webhook/fonnte/device", json={"device": DEVICE, "status": "disconnect", "reason": "x"})
    login(client, "siswanto")  # a TBO
    page = client.get("/tugas")
    assert page.status_code == 200 and "Tugas" in page.get_data(as_text=True)
    assert "WhatsApp bermasalah" not in page.get_data(as_text=True)


# --- sends failing in a row ------------------------------------------------------------------


def test_sends_failing_in_a_row_alert_and_the_first_success_clears_it(app_factory, fonnte):
    app = app_factory(
        TELEGRAM_ADMIN_CHAT_IDS=CHATS,
        WA_FAILURE_ALERT_AFTER=3,
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN="fonnte-token",
        FONNTE_API_URL=fonnte.url,
    )
    reset_database(app)
    client = app.test_client()
    fonnte.mode = "http500"
    send_wa(client, "#request lampu mati")
    dispatcher = Dispatcher(app)
    try:
        assert wait_until(lambda: dispatcher.run_once() is not None and telegram_alerts(app))
        (alert,) = telegram_alerts(app)
        assert "gagal 3 kali berturut-turut" in alert and "HTTP 500" in alert
        login(client)
        assert banner(client)

        fonnte.mode = "ok"
        assert wait_until(lambda: dispatcher.run_once() is not None and fonnte.received)
        assert fonnte.received and "Nomor Tracking" in fonnte.received[0]["message"]
        assert "berhasil lagi" in telegram_alerts(app)[-1]
        assert not banner(client)
    finally:
        dispatcher.close()
