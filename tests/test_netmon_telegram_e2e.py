"""End to end through the worker: a loopback router, a loopback Telegram Bot API, and the
real routeros-api and pyTelegramBotAPI clients in between."""

import time

import pytest

from app.extensions import db
from app.models import TelegramChat
from app.worker import Worker
from tests.conftest import reset_database
from tests.netmon_helpers import BOT_TOKEN, CHATS, add_router, branch_router
from tests.peers.telegram import FakeTelegram

ADMIN, OUTSIDER = CHATS[0], "5550001"


@pytest.fixture
def router():
    with branch_router(ping=2) as peer:
        yield peer


@pytest.fixture
def telegram():
    peer = FakeTelegram(BOT_TOKEN).start()
    yield peer
    peer.stop()


def settings(telegram):
    return dict(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL=telegram.base_url,
        TELEGRAM_ADMIN_CHAT_IDS=CHATS,
        TELEGRAM_POLL_TIMEOUT=1,
        NETMON_INTERVAL=0.2,
        NETMON_ROUTER_TIMEOUT=1,
    )


@pytest.fixture
def app(app_factory, router, telegram):
    app = app_factory(**settings(telegram))
    reset_database(app)
    add_router(app, router)
    return app


@pytest.fixture
def worker(app):
    running = Worker(app).start()
    deadline = time.monotonic() + 10
    while not running.active.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    yield running
    running.stop()


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_branch_going_down_reaches_every_admin_on_telegram(app, router, telegram, worker):
    assert wait_until(lambda: len(telegram.polls) > 0)
    time.sleep(0.6)  # the first polls learn the hosts
    router.set_status("10.0.0.2", "down")
    sent = telegram.wait_for(2)
    assert sorted(m["chat_id"] for m in sent) == sorted(CHATS)
    assert "DOWN" in sent[0]["text"] and "Kecamatan Balongbendo" in sent[0]["text"]
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("ack:")
    time.sleep(0.6)
    assert len(telegram.sent) == 2


def test_a_command_arrives_and_the_answer_goes_back(telegram, worker):
    telegram.send_text(ADMIN, "/dhcp")
    (answer,) = telegram.wait_for(1)
    assert answer["chat_id"] == ADMIN and "192.168.88.10" in answer["text"]


def test_the_menu_buttons_run_their_command_and_are_answered(telegram, worker):
    telegram.send_text(ADMIN, "/menu")
    (menu,) = telegram.wait_for(1)
    buttons = [b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert "cmd:monitor" in buttons
    telegram.press(ADMIN, "cmd:interface", message_id=menu["message_id"])
    sent = telegram.wait_for(2)
    assert "ether1" in sent[1]["text"]
    assert wait_until(lambda: len(telegram.answered) == 1)


def test_an_outsider_is_refused_and_logged(app, telegram, worker):
    telegram.send_text(OUTSIDER, "/dhcp", first_name="Orang Luar")
    (answer,) = telegram.wait_for(1)
    assert answer["chat_id"] == OUTSIDER and "tidak terdaftar" in answer["text"]
    assert "192.168" not in answer["text"]
    with app.app_context():
        row = db.session.get(TelegramChat, OUTSIDER)
        assert (row.status, row.ditolak, row.nama, row.pesan_terakhir) == (
            "ditolak",
            1,
            "Orang Luar",
            "/dhcp",
        )


def test_a_slow_command_does_not_hold_up_the_others(router, telegram, worker):
    router.delay["/ping"] = 1.5
    telegram.send_text(ADMIN, "/ping 10.0.0.1")
    time.sleep(0.2)
    telegram.send_text(ADMIN, "/help")
    sent = telegram.wait_for(2)
    assert "Menu MikroTik" in sent[0]["text"] and "Ping 10.0.0.1" in sent[1]["text"]


def test_only_the_lease_holder_polls_telegram(app_factory, telegram, worker):
    second = Worker(app_factory(**settings(telegram))).start()
    try:
        time.sleep(2.5)
        assert not second.active.is_set()
        assert telegram.conflicts == 0
    finally:
        second.stop()


def test_the_fake_ends_a_first_poller_when_a_second_comes(telegram):
    import threading

    import requests

    url = f"{telegram.base_url}/bot{BOT_TOKEN}/getUpdates"
    first = {}
    thread = threading.Thread(
        target=lambda: first.update(r=requests.get(url, params={"timeout": 3}, timeout=10))
    )
    thread.start()
    time.sleep(0.3)
    requests.get(url, params={"timeout": 0}, timeout=10)
    thread.join()
    assert first["r"].status_code == 409 and "Conflict" in first["r"].json()["description"]


def test_our_poller_backs_off_when_another_poller_ends_it_with_409(app, telegram):
    import threading

    import requests

    from app.netmon.telegram_poller import CONFLICT_PAUSE, TelegramPoller

    ours = TelegramPoller(app, threading.Event(), threading.Event())
    result = {}
    thread = threading.Thread(target=lambda: result.update(pause=ours.poll_once(3)))
    thread.start()
    assert wait_until(lambda: len(telegram.polls) == 1)
    requests.get(f"{telegram.base_url}/bot{BOT_TOKEN}/getUpdates", params={"timeout": 0}, timeout=10)
    thread.join()
    assert result["pause"] == CONFLICT_PAUSE and telegram.conflicts == 1


def test_the_akui_button_acknowledges_the_outage_for_everyone(router, telegram, worker):
    assert wait_until(lambda: len(telegram.polls) > 0)
    time.sleep(0.6)
    router.set_status("10.0.0.1", "down")
    alert = telegram.wait_for(2)[0]
    button = alert["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"].startswith("✅ Akui Kecamatan Waru")
    telegram.press(ADMIN, button["callback_data"], message_id=alert["message_id"])
    told = telegram.wait_for(4)[2:]
    assert sorted(m["chat_id"] for m in told) == sorted(CHATS)
    assert "diakui oleh Admin" in told[0]["text"]
    assert wait_until(lambda: len(telegram.answered) == 1)
