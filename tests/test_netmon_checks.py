"""Built-in checks for hosts not behind a router, and reminders while a host stays down."""

import socket
from datetime import timedelta

import pytest

from app import clock
from app.database import run_in_transaction
from app.extensions import db
from app.models import Host
from app.netmon import checks, reminders, service
from tests.conftest import reset_database
from tests.netmon_helpers import CHATS, events, host_state, telegram_queue


@pytest.fixture
def app(app_factory):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_CHECK_TIMEOUT=0.5)
    reset_database(app)
    return app


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


def add_host(app, sumber, address, port=0, comment=""):
    with app.app_context():
        return run_in_transaction(
            lambda: _flush(service.new_host(None, sumber, address, port, comment, clock.utcnow()))
        )


def _flush(host):
    db.session.flush()
    return host.id_host


def check(app):
    with app.app_context():
        return checks.run_due(app.config)


def test_a_tcp_check_alerts_when_the_port_closes(app, listener):
    port = listener.getsockname()[1]
    add_host(app, "tcp", "127.0.0.1", port, "Server SIAKAD")
    check(app)
    assert host_state(app, "127.0.0.1") == "up" and telegram_queue(app) == []
    listener.close()
    check(app)
    assert host_state(app, "127.0.0.1") == "down"
    (chat, text), _ = telegram_queue(app)
    assert "DOWN" in text and "Server SIAKAD" in text and "127.0.0.1:" in text and "Cek bawaan (TCP)" in text


@pytest.mark.skipif(checks.icmp("127.0.0.1", 1) is None, reason="no ICMP on this machine")
def test_an_icmp_check_sees_loopback_up(app):
    add_host(app, "icmp", "127.0.0.1", comment="Loopback")
    check(app)
    assert host_state(app, "127.0.0.1") == "up"


def test_a_host_down_is_reminded_until_acknowledged(app, listener):
    add_host(app, "tcp", "127.0.0.1", listener.getsockname()[1], "Server SIAKAD")
    check(app)
    listener.close()
    check(app)
    with app.app_context():
        host = db.session.query(Host).one()
        host.ulang_menit = 15
        host.sejak = clock.utcnow() - timedelta(minutes=20)
        db.session.commit()
        assert reminders.send_due(app.config) == 1
        assert reminders.send_due(app.config) == 0  # not again before 15 minutes
    assert "Masih DOWN" in telegram_queue(app)[-1][1]
    with app.app_context():
        assert reminders.acknowledge("server siakad", "Admin")[1] is True
        host = db.session.query(Host).one()
        host.pengingat_terakhir = clock.utcnow() - timedelta(hours=1)
        db.session.commit()
        assert reminders.send_due(app.config) == 0
    assert [e[2:4] for e in events(app)] == [("unknown", "up"), ("up", "down")]
