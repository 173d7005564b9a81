"""NETMON_ALERT_STYLE=paper: alerts and reminders say ON/OFF as the source paper does."""

from datetime import datetime

import pytest

from app.netmon import texts
from app.worker import Worker
from config import parse_settings
from tests.netmon_helpers import BOT_TOKEN, CHATS, branch_router, watching
from tests.peers.telegram import FakeTelegram
from tests.waiting import wait_until

AT = datetime(2026, 11, 23, 8, 0)

CASES = [
    # (style, alert_down, alert_up, reminder)
    (
        "updown",
        ["🔴 <b>DOWN</b> — Waru", "Sudah down saat pertama dipantau."],
        ["🟢 <b>UP</b> — Waru", "Lama down: 5 menit", "Masih down: Kedung"],
        "⏰ <b>Masih DOWN</b> — Waru",
    ),
    (
        "paper",
        ["🔴 <b>OFF</b> — Waru", "Sudah OFF saat pertama dipantau."],
        ["🟢 <b>ON</b> — Waru", "Lama OFF: 5 menit", "Masih OFF: Kedung"],
        "⏰ <b>Masih OFF</b> — Waru",
    ),
    (None, ["🔴 <b>DOWN</b> — Waru"], ["🟢 <b>UP</b> — Waru"], "⏰ <b>Masih DOWN</b> — Waru"),
]


@pytest.mark.parametrize("style, down, up, reminder", CASES, ids=[str(c[0]) for c in CASES])
def test_the_style_picks_the_words(style, down, up, reminder):
    said = texts.words(style)
    down_text = texts.alert_down("Waru", "10.0.0.1", "utama", AT, first_seen=True, said=said)
    up_text = texts.alert_up(
        "Waru", "10.0.0.1", "utama", AT, 300, still_down=[("Kedung", "Kedung")], said=said
    )
    assert all(line in down_text.split("\n") for line in down)
    assert all(line in up_text.split("\n") for line in up)
    assert texts.reminder("Waru", "10.0.0.1", AT, 600, said).startswith(reminder)


@pytest.fixture
def telegram():
    peer = FakeTelegram(BOT_TOKEN).start()
    yield peer
    peer.stop()


def test_paper_alerts_reach_telegram_as_on_and_off(app_factory, telegram):
    with branch_router() as router:
        app = watching(
            app_factory,
            router,
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_URL=telegram.base_url,
            TELEGRAM_POLL_TIMEOUT=1,
            NETMON_INTERVAL=0.2,
            NETMON_ALERT_STYLE="paper",
        )
        worker = Worker(app).start()
        try:
            assert wait_until(worker.active.is_set)
            router.add_host("10.0.0.3", "down", "Desa Kedung")
            off = telegram.wait_for(1, chat_id=CHATS[0])[0]["text"]
            router.set_status("10.0.0.3", "up")
            on = telegram.wait_for(2, chat_id=CHATS[0])[1]["text"]
        finally:
            worker.stop()
    assert off.startswith("🔴 <b>OFF</b> — Desa Kedung") and "Sudah OFF saat pertama dipantau." in off
    assert on.startswith("🟢 <b>ON</b> — Desa Kedung") and "Lama OFF:" in on


@pytest.mark.parametrize(
    "given, style, problems",
    [
        ({}, "updown", 0),
        ({"NETMON_ALERT_STYLE": "Paper"}, "paper", 0),
        ({"NETMON_ALERT_STYLE": "onoff"}, None, 1),
    ],
)
def test_the_setting_takes_the_two_styles_only(given, style, problems):
    values, found = parse_settings(given)
    assert len(found) == problems
    if style is not None:
        assert values["NETMON_ALERT_STYLE"] == style
