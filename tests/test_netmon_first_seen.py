"""A host already down when first seen is told once, like any change; a restart is not news."""

import socket
from datetime import timedelta

import pytest

from app import clock
from app.database import run_in_transaction
from app.extensions import db
from app.models import Event, Host
from app.netmon import checks, service
from tests.netmon_helpers import CHATS, branch_router, events, host_state, poll, telegram_queue, watching


@pytest.fixture
def router():
    with branch_router() as peer:
        yield peer


def make_app(app_factory):
    return app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1, NETMON_CHECK_TIMEOUT=0.5)


@pytest.fixture
def app(app_factory, router):
    return watching(app_factory, router, NETMON_CHECK_TIMEOUT=0.5)


def check(app):
    with app.app_context():
        return checks.run_due(app.config)


def alerts_to_first_chat(app):
    return [text for chat, text in telegram_queue(app) if chat == CHATS[0]]


def test_a_host_added_to_netwatch_while_down_is_told_once_from_its_since(app, router):
    poll(app)
    with app.app_context():
        went_down = clock.local_now().replace(tzinfo=None, microsecond=0) - timedelta(minutes=4)
    router.add_host("10.0.0.3", "down", "Desa Kedung", since=went_down)
    poll(app)
    poll(app)
    (text,) = alerts_to_first_chat(app)
    assert "DOWN" in text and "Desa Kedung" in text and "Sudah down saat pertama dipantau" in text
    assert f"{went_down:%H:%M:%S}" in text
    assert events(app) == [("host", "10.0.0.3", "unknown", "down", True, "")]
    router.set_status("10.0.0.3", "up")
    poll(app)
    assert "UP" in alerts_to_first_chat(app)[-1] and "Lama down: 4 menit" in alerts_to_first_chat(app)[-1]


def test_a_new_entry_netwatch_has_not_judged_yet_is_told_when_it_turns_down(app, router):
    poll(app)
    router.add_host("10.0.0.3", "unknown", "Desa Kedung")
    poll(app)
    assert host_state(app, "10.0.0.3") == "unknown" and telegram_queue(app) == []
    router.set_status("10.0.0.3", "down")
    poll(app)
    poll(app)
    assert len(alerts_to_first_chat(app)) == 1
    assert events(app) == [("host", "10.0.0.3", "unknown", "down", True, "")]


def test_an_entry_back_in_netwatch_is_seen_afresh(app, router):
    router.set_status("10.0.0.2", "down")
    poll(app)
    router.remove_host("10.0.0.1")
    router.remove_host("10.0.0.2")
    poll(app)
    router.add_host("10.0.0.1", "up", "Kecamatan Waru")
    router.add_host("10.0.0.2", "down", "Kecamatan Balongbendo")
    poll(app)
    poll(app)
    (first, again) = alerts_to_first_chat(app)
    assert "Balongbendo" in again and "Sudah down saat pertama dipantau" in again
    assert [e[1:5] for e in events(app)] == [
        ("10.0.0.2", "unknown", "down", True),
        ("10.0.0.1", "unknown", "up", False),
        ("10.0.0.2", "unknown", "down", True),
    ]


def test_a_new_router_tells_its_hosts_that_are_down_in_one_message(app_factory):
    with branch_router(second="down") as peer:
        app = watching(app_factory, peer)
        poll(app)
        poll(app)
    (text,) = alerts_to_first_chat(app)
    assert "Kecamatan Balongbendo" in text and "Kecamatan Waru" not in text
    assert host_state(app, "10.0.0.1") == "up"


def test_a_known_host_stored_down_is_not_told_again_after_a_restart(app, app_factory, router):
    router.add_host("10.0.0.3", "down", "Desa Kedung")
    poll(app)
    assert len(alerts_to_first_chat(app)) == 1
    restarted = make_app(app_factory)
    poll(restarted)
    poll(restarted)
    assert len(alerts_to_first_chat(restarted)) == 1
    assert [e[1:4] for e in events(restarted)] == [("10.0.0.3", "unknown", "down")]


def test_a_host_down_when_first_seen_under_a_parent_that_is_down_is_not_told_alone(app, router):
    router.add_host("10.0.0.3", "up", "Desa Kedung")
    poll(app)
    router.set_status("10.0.0.1", "down")
    poll(app)
    assert len(alerts_to_first_chat(app)) == 1
    address = "127.0.0.1"
    new_check(app, address, closed_port(), parent="10.0.0.1")
    check(app)
    assert len(alerts_to_first_chat(app)) == 1
    assert events(app)[-1] == ("host", address, "unknown", "down", False, "induk")


# -- built-in checks -------------------------------------------------------------------


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: a TCP check of it fails
    return port


def new_check(app, address, port, parent=None, maintenance=False):
    def work():
        host = service.new_host(None, "tcp", address, port, "Server SIAKAD", clock.utcnow())
        if parent is not None:
            host.id_induk = db.session.query(Host).filter(Host.host == parent).one().id_host
        if maintenance:
            now = clock.utcnow()
            host.pemeliharaan_mulai, host.pemeliharaan_selesai = (
                now - timedelta(hours=1),
                now + timedelta(hours=1),
            )

    with app.app_context():
        run_in_transaction(work)


@pytest.fixture
def bare(app_factory):
    return watching(app_factory, NETMON_CHECK_TIMEOUT=0.5)


def test_a_new_builtin_check_of_a_host_that_is_down_is_told_once(bare):
    new_check(bare, "127.0.0.1", closed_port())
    check(bare)
    check(bare)
    (text,) = alerts_to_first_chat(bare)
    assert (
        "Server SIAKAD" in text and "Cek bawaan (TCP)" in text and "Sudah down saat pertama dipantau" in text
    )
    assert [e[2:6] for e in events(bare)] == [("unknown", "down", True, "")]


def test_a_new_builtin_check_in_maintenance_is_not_told(bare):
    new_check(bare, "127.0.0.1", closed_port(), maintenance=True)
    check(bare)
    assert telegram_queue(bare) == []
    assert [e[2:6] for e in events(bare)] == [("unknown", "down", False, "pemeliharaan")]


def test_a_builtin_host_stored_down_is_not_told_again_after_a_restart(bare, app_factory):
    new_check(bare, "127.0.0.1", closed_port())
    check(bare)
    restarted = make_app(app_factory)
    check(restarted)
    assert len(alerts_to_first_chat(restarted)) == 1
    with restarted.app_context():
        assert db.session.query(Event).count() == 1
