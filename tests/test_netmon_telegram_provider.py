"""Telegram messages leave through the outgoing queue and reach a loopback Bot API."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.messaging import outbox
from app.messaging.providers.telegram import ChatPacer
from app.models import Outbox
from app.models.outbox import ANTRI, GAGAL, TERKIRIM
from tests.conftest import drain, reset_database
from tests.netmon_helpers import BOT_TOKEN
from tests.peers.telegram import FakeTelegram


@pytest.fixture
def telegram():
    peer = FakeTelegram(BOT_TOKEN).start()
    yield peer
    peer.stop()


@pytest.fixture
def app(app_factory, telegram):
    app = app_factory(TELEGRAM_BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL=telegram.base_url)
    reset_database(app)
    return app


def queue(app, chat, text, opsi=None):
    with app.app_context():
        outbox.enqueue(chat, text, kanal="telegram", opsi=opsi)
        db.session.commit()


def row(app):
    with app.app_context():
        return db.session.query(Outbox).one()


def test_it_sends_html_with_the_keyboard(app, telegram):
    keyboard = {"reply_markup": {"inline_keyboard": [[{"text": "Akui", "callback_data": "ack:1"}]]}}
    queue(app, "1001", "🔴 <b>DOWN</b>", keyboard)
    drain(app)
    (sent,) = telegram.sent
    assert (sent["chat_id"], sent["text"], sent["parse_mode"]) == ("1001", "🔴 <b>DOWN</b>", "HTML")
    assert sent["reply_markup"] == keyboard["reply_markup"]
    stored = row(app)
    assert (stored.status, stored.provider, stored.id_provider) == (
        TERKIRIM,
        "telegram",
        str(sent["message_id"]),
    )


def test_a_429_is_retried_after_what_telegram_asked(app, telegram):
    telegram.rate_limit("2001", retry_after=7)
    queue(app, "2001", "hai")
    drain(app)
    stored = row(app)
    assert stored.status == ANTRI and "7 detik" in stored.galat
    assert timedelta(seconds=6) < stored.kirim_setelah - stored.dibuat < timedelta(seconds=9)


@pytest.mark.parametrize("kind", ["unknown_chats", "blocked_chats"])
def test_a_chat_that_cannot_be_reached_is_given_up_at_once(app, telegram, kind):
    getattr(telegram, kind).add("1001")
    queue(app, "1001", "hai")
    drain(app)
    stored = row(app)
    assert stored.status == GAGAL and stored.percobaan == 1
    assert "chat not found" in stored.galat or "blocked" in stored.galat


def test_a_wrong_token_is_kept_for_a_retry(app_factory, telegram):
    app = app_factory(TELEGRAM_BOT_TOKEN="999:wrong", TELEGRAM_API_URL=telegram.base_url)
    reset_database(app)
    queue(app, "1001", "hai")
    drain(app)
    stored = row(app)
    assert stored.status == ANTRI and "Token bot Telegram ditolak" in stored.galat


def test_the_pacer_lets_a_burst_through_then_one_a_second(monkeypatch):
    slept = []
    monkeypatch.setattr("app.messaging.providers.telegram.time.sleep", slept.append)
    pacer = ChatPacer()
    for _ in range(5):
        pacer.wait("1001", burst=3, per_second=1)
    pacer.wait("1002", burst=3, per_second=1)
    assert len(slept) == 2 and slept[0] == pytest.approx(1, abs=0.1) and slept[1] == pytest.approx(2, abs=0.1)
