"""End to end through the worker: a loopback router, a loopback Telegram Bot API, and the
real routeros-api and pyTelegramBotAPI clients in between."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

from app import clock
from app.database import run_in_transaction
from app.extensions import db
from app.models import Host, Outbox, Router, TelegramChat
from app.netmon import chats
from app.worker import Worker
from tests.conftest import reset_database
from tests.netmon_helpers import BOT_TOKEN, CHATS, add_router, branch_router, telegram_queue
from tests.peers.telegram import FakeTelegram
from tests.waiting import wait_until

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


def start_worker(app):
    running = Worker(app).start()
    assert wait_until(running.active.is_set)
    return running


@pytest.fixture
def worker(app):
    running = start_worker(app)
    yield running
    running.stop()


def hosts_up(app):
    """Whether the poller has learnt both branches as up (its first polls)."""
    with app.app_context():
        return sorted(db.session.query(Host.host).filter(Host.status == "up").all()) == [
            ("10.0.0.1",),
            ("10.0.0.2",),
        ]


def router_seen(app):
    """When the router was last polled: a poll counter for "nothing more happened"."""
    with app.app_context():
        return db.session.query(Router.terakhir_dilihat).scalar()


def polled_twice_more(app):
    """Block until two more polls were processed (the first may have begun earlier)."""
    for _ in range(2):
        seen = router_seen(app)
        assert wait_until(lambda seen=seen: router_seen(app) != seen)


def test_a_branch_going_down_reaches_every_admin_on_telegram(app, router, telegram, worker):
    assert wait_until(lambda: hosts_up(app))
    router.set_status("10.0.0.2", "down")
    sent = telegram.wait_for(2)
    assert sorted(m["chat_id"] for m in sent) == sorted(CHATS)
    assert "DOWN" in sent[0]["text"] and "Kecamatan Balongbendo" in sent[0]["text"]
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("ack:")
    # Later polls see the branch still down: no second alert is queued.
    polled_twice_more(app)
    assert len(telegram_queue(app)) == 2


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
    assert wait_until(lambda: "/ping" in router.commands)  # the slow command is under way
    telegram.send_text(ADMIN, "/help")
    sent = telegram.wait_for(2)
    assert "Menu MikroTik" in sent[0]["text"] and "Ping 10.0.0.1" in sent[1]["text"]


def test_only_the_lease_holder_polls_telegram(app_factory, telegram, worker, caplog):
    caplog.set_level(logging.INFO)
    second = Worker(app_factory(**settings(telegram))).start()
    try:
        # The second worker asked for the lease and was told to wait; the first kept
        # polling meanwhile.
        assert wait_until(lambda: any(second.owner in r.getMessage() for r in caplog.records))
        polls = len(telegram.polls)
        assert wait_until(lambda: len(telegram.polls) >= polls + 2)
        assert not second.active.is_set()
        assert telegram.conflicts == 0
    finally:
        second.stop()


def test_the_fake_ends_a_first_poller_when_a_second_comes(telegram):
    url = f"{telegram.base_url}/bot{BOT_TOKEN}/getUpdates"
    first = {}
    thread = threading.Thread(
        target=lambda: first.update(r=requests.get(url, params={"timeout": 3}, timeout=10))
    )
    thread.start()
    assert wait_until(lambda: len(telegram.polls) == 1)
    requests.get(url, params={"timeout": 0}, timeout=10)
    thread.join()
    assert first["r"].status_code == 409 and "Conflict" in first["r"].json()["description"]


def test_our_poller_backs_off_when_another_poller_ends_it_with_409(app, telegram):
    from app.netmon.telegram_poller import CONFLICT_PAUSE, TelegramPoller

    ours = TelegramPoller(app, threading.Event(), threading.Event())
    result = {}
    thread = threading.Thread(target=lambda: result.update(pause=ours.poll_once(3)))
    thread.start()
    assert wait_until(lambda: len(telegram.polls) == 1)
    requests.get(f"{telegram.base_url}/bot{BOT_TOKEN}/getUpdates", params={"timeout": 0}, timeout=10)
    thread.join()
    assert result["pause"] == CONFLICT_PAUSE and telegram.conflicts == 1


def test_the_akui_button_acknowledges_the_outage_for_everyone(app, router, telegram, worker):
    assert wait_until(lambda: hosts_up(app))
    router.set_status("10.0.0.1", "down")
    alert = telegram.wait_for(2)[0]
    button = alert["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"].startswith("✅ Akui Kecamatan Waru")
    telegram.press(ADMIN, button["callback_data"], message_id=alert["message_id"])
    told = telegram.wait_for(4)[2:]
    assert sorted(m["chat_id"] for m in told) == sorted(CHATS)
    assert "diakui oleh Admin" in told[0]["text"]
    assert wait_until(lambda: len(telegram.answered) == 1)


def refused_so_far(app, chat_id):
    with app.app_context():
        row = db.session.get(TelegramChat, chat_id)
        return row.ditolak if row is not None else 0


def refusal_answers(app, chat_id):
    with app.app_context():
        return db.session.query(Outbox).filter(Outbox.tujuan == chat_id, Outbox.sumber == "ditolak").count()


def test_a_new_chat_writing_fast_loses_nothing_and_is_answered_once(app, telegram):
    # Thirty messages before the worker starts: one getUpdates returns them all, and the
    # poller's threads handle them side by side, each the first sight of an unknown chat.
    for n in range(30):
        telegram.send_text(OUTSIDER, f"/dhcp {n}", first_name="Orang Luar")
    running = start_worker(app)
    try:
        assert wait_until(lambda: refused_so_far(app, OUTSIDER) == 30, timeout=60), refused_so_far(
            app, OUTSIDER
        )
        assert telegram.wait_for(1, chat_id=OUTSIDER)
    finally:
        running.stop()
    # Each refusal is counted in the transaction that would queue its answer: all 30 are
    # in, so no other answer can follow.
    assert refusal_answers(app, OUTSIDER) == 1
    assert len([m for m in telegram.sent if m["chat_id"] == OUTSIDER]) == 1


@pytest.fixture
def frozen():
    yield clock.freeze
    clock.freeze(None)


def test_a_refused_chat_is_answered_again_only_after_a_quiet_minute(app, frozen):
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    told = []
    for seconds in (0, 30, 59, 120, 150, 400):
        frozen(start + timedelta(seconds=seconds))
        with app.app_context():
            told.append(run_in_transaction(lambda: chats.note_refused(OUTSIDER, "Orang Luar", "/dhcp")))
    assert told == [True, False, False, True, False, True]
    assert refused_so_far(app, OUTSIDER) == 6
