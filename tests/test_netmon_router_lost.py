"""While a router cannot be reached its hosts are unknown, not down: one "router terputus"
alert, no reminders for the hosts behind it until it is back."""

from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import Host, Router
from app.netmon import reminders
from tests.netmon_helpers import CHATS, branch_router, poll, telegram_queue, watching
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
