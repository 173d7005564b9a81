"""Watched hosts as the panel lists and edits them; writes run in the caller's transaction."""

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models.netmon import DOWN, NETWATCH, TCP, UNKNOWN, Host
from . import alerts, service


class OnRouter(Exception):
    """A Netwatch host is removed on its router: deleted here, the next poll brings it back."""


def router_lost(host):
    """Its router is not read now (unreachable, or switched off in the panel): the host's
    state is unknown, whatever was stored last."""
    router = host.router
    return router is not None and (router.status == DOWN or not router.aktif)


def shown_status(host):
    """The state pages and /monitor show; the stored one is kept for when the router is back."""
    return UNKNOWN if router_lost(host) else host.status


def get(id_host):
    return db.session.get(Host, id_host)


def for_page():
    """Watched hosts in the order of the hosts page."""
    query = (
        select(Host).where(Host.aktif).order_by(Host.status.desc(), Host.id_router, Host.komentar, Host.host)
    )
    return db.session.execute(query).scalars().all()


def by_comment(except_id=None):
    """Watched hosts by comment, for pick lists; `except_id` leaves one out."""
    query = select(Host).where(Host.aktif).order_by(Host.komentar)
    if except_id is not None:
        query = query.where(Host.id_host != except_id)
    return db.session.execute(query).scalars().all()


def as_local(naive_utc):
    """A stored time as the panel's form shows it: local, without a zone."""
    return alerts.to_local(naive_utc).replace(tzinfo=None) if naive_utc else None


def _as_utc(local_naive):
    if local_naive is None:
        return None
    return clock.to_utc(local_naive)


def save_settings(id_host, komentar, id_induk, maintenance_start, maintenance_end, ulang_menit):
    """The panel's per-host settings; maintenance times are local, as the form shows them."""
    host = db.session.get(Host, id_host)
    if host.sumber != NETWATCH:  # a Netwatch host takes its comment from the router
        host.komentar = komentar or ""
    host.id_induk = id_induk or None
    host.pemeliharaan_mulai = _as_utc(maintenance_start)
    host.pemeliharaan_selesai = _as_utc(maintenance_end)
    host.ulang_menit = ulang_menit or 0


def add_builtin(sumber, address, port, comment):
    """Watch a host with a built-in check; one watched before is taken up again."""
    port = port if sumber == TCP else 0
    exists = db.session.execute(
        select(Host).where(
            Host.id_router.is_(None),
            Host.sumber == sumber,
            Host.host == address,
            Host.port == port,
        )
    ).scalar_one_or_none()
    if exists is not None:
        exists.aktif = True
        return
    service.new_host(None, sumber, address, port, comment, clock.utcnow())


def delete(id_host):
    """Delete a host with its history; False when there is no such host."""
    host = db.session.get(Host, id_host)
    if host is None:
        return False
    if host.sumber == NETWATCH:
        raise OnRouter(id_host)
    db.session.delete(host)
    return True
