"""The Netwatch poller against a loopback router: events, alerts once, restarts."""

from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import Event, Host
from app.netmon import poller, service
from tests.conftest import reset_database
from tests.netmon_helpers import CHATS, add_router, branch_router, events, host_state, telegram_queue
from tests.peers.routeros import FakeRouter


@pytest.fixture
def router():
    with branch_router() as peer:
        yield peer


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1)
    reset_database(app)
    add_router(app, router)
    return app


def poll(app):
    with app.app_context():
        return poller.poll_all(app.config)


def test_the_first_poll_learns_the_hosts_without_alerting(app):
    poll(app)
    assert host_state(app, "10.0.0.1") == "up"
    assert telegram_queue(app) == []


def test_it_alerts_once_when_a_branch_goes_down(app, router):
    poll(app)
    router.set_status("10.0.0.2", "down")
    poll(app)
    poll(app)
    queued = telegram_queue(app)
    assert [chat for chat, _ in queued] == CHATS
    text = queued[0][1]
    assert "DOWN" in text and "Kecamatan Balongbendo" in text and "10.0.0.2" in text and "WIB" in text
    assert events(app) == [("host", "10.0.0.2", "up", "down", True, "")]


def test_the_recovery_says_how_long_it_was_down(app, router):
    with app.app_context():
        start = clock.local_now().replace(tzinfo=None)
    router.set_status("10.0.0.1", "up", at=start - timedelta(hours=3))
    poll(app)
    router.set_status("10.0.0.1", "down", at=start - timedelta(minutes=65))
    poll(app)
    router.set_status("10.0.0.1", "up", at=start)
    poll(app)
    text = telegram_queue(app)[-1][1]
    assert "UP" in text and "Lama down: 1 jam 5 menit" in text


def test_a_vanished_router_alerts_once_when_lost_and_once_when_back(app, router):
    poll(app)
    port = router.port
    router.stop()
    for _ in range(3):
        poll(app)
    assert len(telegram_queue(app)) == len(CHATS)
    assert "Router tidak dapat dihubungi" in telegram_queue(app)[0][1]
    back = FakeRouter(port=port).start()
    try:
        back.add_host("10.0.0.1", "up", "Kecamatan Waru")
        back.add_host("10.0.0.2", "down", "Kecamatan Balongbendo")
        poll(app)
        poll(app)
    finally:
        back.stop()
    texts = [t for chat, t in telegram_queue(app) if chat == CHATS[0]]
    assert len(texts) == 3
    assert "Router terhubung kembali" in texts[1]
    assert "DOWN" in texts[2] and "Balongbendo" in texts[2]


def test_after_a_restart_states_are_kept_and_a_change_meanwhile_is_told_once(app, app_factory, router):
    poll(app)
    router.set_status("10.0.0.1", "down")  # while the app is down
    again = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1)
    poll(again)
    poll(again)
    assert [e[1:4] for e in events(again)] == [("10.0.0.1", "up", "down")]
    assert len(telegram_queue(again)) == len(CHATS)


def test_a_push_then_a_poll_is_told_once(app, router):
    poll(app)
    with app.app_context():
        assert service.apply_push("10.0.0.1", "down") == 1
    router.set_status("10.0.0.1", "down")
    poll(app)
    assert len(telegram_queue(app)) == len(CHATS)
    assert [e[3] for e in events(app)] == ["down"]
    with app.app_context():
        assert db.session.query(Event).filter(Event.jenis == "host").one().sumber == "push"


def test_a_poll_that_read_before_a_push_does_not_undo_it(app, router):
    poll(app)
    with app.app_context():
        read_at = clock.utcnow()
        entries = [e for e in _netwatch(app, router)]
        service.apply_push("10.0.0.1", "down")
        service.apply_netwatch(_router_id(app), entries, read_at)
    assert host_state(app, "10.0.0.1") == "down"


def _netwatch(app, router):
    from app.netmon import routeros

    return routeros.netwatch(routeros.Target("t", "127.0.0.1", router.port, "admin", "rahasia"), clock.zone())


def _router_id(app):
    from app.models import Router

    return db.session.query(Router).one().id_router


def test_a_host_behind_a_parent_that_is_down_is_told_inside_the_parents_alert(app, router):
    router.add_host("10.0.0.3", "up", "Desa Kedung")
    poll(app)
    with app.app_context():
        uplink = db.session.query(Host).filter(Host.host == "10.0.0.1").one()
        child = db.session.query(Host).filter(Host.host == "10.0.0.3").one()
        child.id_induk = uplink.id_host
        db.session.commit()
    router.set_status("10.0.0.1", "down")
    router.set_status("10.0.0.3", "down")
    poll(app)
    queued = telegram_queue(app)
    assert len(queued) == len(CHATS)
    assert "Kecamatan Waru" in queued[0][1] and "Ikut terdampak: Desa Kedung (10.0.0.3)" in queued[0][1]
    assert ("host", "10.0.0.3", "up", "down", False, "induk") in events(app)


def test_no_alert_during_maintenance(app, router):
    poll(app)
    with app.app_context():
        host = db.session.query(Host).filter(Host.host == "10.0.0.2").one()
        now = clock.utcnow()
        host.pemeliharaan_mulai, host.pemeliharaan_selesai = (
            now - timedelta(hours=1),
            now + timedelta(hours=1),
        )
        db.session.commit()
    router.set_status("10.0.0.2", "down")
    poll(app)
    assert telegram_queue(app) == []
    assert events(app) == [("host", "10.0.0.2", "up", "down", False, "pemeliharaan")]


def test_it_reads_since_in_the_old_form(app_factory):
    peer = FakeRouter(since_style="v6").start()
    try:
        app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS)
        reset_database(app)
        add_router(app, peer)
        with app.app_context():
            moment = clock.local_now().replace(tzinfo=None, microsecond=0) - timedelta(minutes=3)
        peer.add_host("10.9.9.9", "up", "Kantor", since=moment - timedelta(hours=1))
        poll(app)
        peer.set_status("10.9.9.9", "down", at=moment)
        poll(app)
        with app.app_context():
            event = db.session.query(Event).filter(Event.jenis == "host").one()
            assert clock.utcnow() - event.waktu > timedelta(minutes=2)
    finally:
        peer.stop()
