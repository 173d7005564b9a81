"""Shared by the network monitor's tests: a router row pointing at a loopback router, and
what was queued for Telegram."""

from contextlib import contextmanager
from datetime import timedelta

from app import clock
from app.database import run_in_transaction
from app.extensions import db
from app.models import Event, Host, Outbox
from app.netmon import poller, routers
from tests.conftest import reset_database
from tests.peers.routeros import FakeRouter

CHATS = ["1001", "1002"]
BOT_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvw"


def add_router(app, peer, nama="utama", **kw):
    with app.app_context():
        return run_in_transaction(lambda: _add(peer, nama, kw))


def _add(peer, nama, kw):
    router = routers.new_router(
        nama,
        "127.0.0.1",
        peer.port,
        kw.get("username", "admin"),
        kw.get("password", "rahasia"),
        kw.get("tls", False),
    )
    db.session.flush()
    return router.id_router


def watching(app_factory, peer=None, **settings):
    """A fresh app telling CHATS, watching the loopback router `peer` when given."""
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1, **settings)
    reset_database(app)
    if peer is not None:
        add_router(app, peer)
    return app


def poll(app):
    with app.app_context():
        return poller.poll_all(app.config)


def telegram_queue(app):
    with app.app_context():
        return [
            (r.tujuan, r.pesan)
            for r in db.session.query(Outbox).filter(Outbox.kanal == "telegram").order_by(Outbox.ido)
        ]


def events(app, jenis="host"):
    """Events of one kind (host or router), oldest first."""
    with app.app_context():
        return [
            (
                e.jenis,
                e.host.host if e.host else e.router.nama,
                e.status_lama,
                e.status_baru,
                e.dialertkan,
                e.keterangan,
            )
            for e in db.session.query(Event).filter(Event.jenis == jenis).order_by(Event.id_event)
        ]


def host_state(app, address):
    with app.app_context():
        host = db.session.query(Host).filter(Host.host == address).one()
        return host.status


@contextmanager
def branch_router(second="up", ping=None):
    """A loopback router watching two branches (the second in state `second`)."""
    peer = FakeRouter().start()
    peer.add_host("10.0.0.1", "up", "Kecamatan Waru")
    peer.add_host("10.0.0.2", second, "Kecamatan Balongbendo")
    if ping is not None:
        peer.ping_replies["10.0.0.1"] = ping
    try:
        yield peer
    finally:
        peer.stop()


def outage(app, router, minutes=42):
    """One outage of 10.0.0.1 on `router`, `minutes` long, ended now."""
    with app.app_context():
        now = clock.local_now().replace(tzinfo=None)
    router.set_status("10.0.0.1", "up", at=now - timedelta(hours=3))
    with app.app_context():
        long_ago = clock.utcnow() - timedelta(days=3)
        db.session.query(Host).update(
            {Host.sejak: clock.utcnow() - timedelta(hours=3), Host.dibuat: long_ago}
        )
        db.session.commit()
    router.set_status("10.0.0.1", "down", at=now - timedelta(minutes=minutes))
    with app.app_context():
        poller.poll_all(app.config)
    router.set_status("10.0.0.1", "up", at=now)
    with app.app_context():
        poller.poll_all(app.config)
