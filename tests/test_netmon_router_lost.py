"""While a router cannot be reached its hosts are unknown, not down: one "router terputus"
alert, no reminders for the hosts behind it until it is back."""

from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import Host, Router
from app.netmon import bot, reminders
from tests.conftest import login
from tests.netmon_helpers import CHATS, branch_router, host_state, poll, telegram_queue, watching
from tests.peers.routeros import FakeRouter


@pytest.fixture
def watched(app_factory):
    with branch_router() as router:
        yield watching(app_factory, router), router


@pytest.fixture
def app(watched):
    return watched[0]


@pytest.fixture
def router(watched):
    return watched[1]


def remind(app):
    with app.app_context():
        return reminders.send_due(app.config)


def told(app):
    return [text.split("\n")[0] for chat, text in telegram_queue(app) if chat == CHATS[0]]


def overdue(app):
    """10.0.0.2 asks for a reminder every 5 minutes and has had none for an hour."""
    with app.app_context():
        host = db.session.query(Host).filter(Host.host == "10.0.0.2").one()
        host.ulang_menit = 5
        host.sejak = clock.utcnow() - timedelta(hours=1)
        db.session.commit()


@pytest.fixture
def down_and_due(app, router):
    poll(app)
    router.set_status("10.0.0.2", "down")
    poll(app)
    overdue(app)


def test_no_reminders_while_the_router_is_lost_and_they_resume_when_it_is_back(app, router, down_and_due):
    port = router.port
    router.stop()
    for _ in range(3):
        poll(app)
        assert remind(app) == 0
    assert told(app) == ["🔴 <b>DOWN</b> — Kecamatan Balongbendo", "⚠️ <b>Router terputus</b> — utama"]
    assert "pengingatnya dihentikan" in telegram_queue(app)[-1][1]
    back = FakeRouter(port=port).start()
    try:
        back.add_host("10.0.0.1", "up", "Kecamatan Waru")
        back.add_host("10.0.0.2", "down", "Kecamatan Balongbendo")
        poll(app)
    finally:
        back.stop()
    assert told(app)[-1] == "✅ <b>Router terhubung kembali</b> — utama"
    assert remind(app) == 1
    assert told(app)[-1] == "⏰ <b>Masih DOWN</b> — Kecamatan Balongbendo"


def test_a_router_switched_off_in_the_panel_stops_its_hosts_reminders(app, down_and_due):
    with app.app_context():
        db.session.query(Router).update({Router.aktif: False})
        db.session.commit()
    assert remind(app) == 0
    with app.app_context():
        db.session.query(Router).update({Router.aktif: True})
        db.session.commit()
    assert remind(app) == 1


def monitor_lines(app):
    with app.app_context():
        return "\n".join(r.text for r in bot.answer("/monitor", "Admin")).split("\n")


def test_monitor_and_the_hosts_page_show_hosts_behind_a_lost_router_as_unknown(app, router, down_and_due):
    router.stop()
    poll(app)
    lines = monitor_lines(app)
    for name in ("Kecamatan Waru", "Kecamatan Balongbendo"):
        line = next(line for line in lines if name in line)
        assert "⚪" in line and "tidak diketahui (router terputus)" in line and " UP " not in line
    assert "Total: 0 up, 0 down, 2 belum diketahui" in lines
    html = login(app.test_client()).get("/netmon/").get_data(as_text=True)
    assert html.count("state-unknown") == 2 and "state-down" not in html and "state-up" not in html
    assert html.count("tidak diketahui (router terputus)") == 2
    assert "terakhir terbaca: DOWN" in html and "terakhir terbaca: UP" in html
    with app.app_context():
        menu = bot.host_menu(db.session.query(Router).one().id_router, 0)
    labels = [
        row[0]["text"]
        for row in menu.keyboard["reply_markup"]["inline_keyboard"]
        if "(10.0.0." in row[0]["text"]
    ]
    assert labels and all(label.startswith("⚪") for label in labels)
    # What was read last is kept for when the router is back.
    assert host_state(app, "10.0.0.2") == "down"
    assert host_state(app, "10.0.0.1") == "up"
