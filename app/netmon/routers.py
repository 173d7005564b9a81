"""Routers as rows: the panel's list and changes, the ROUTEROS_* router kept in step at
start-up, and how to reach one."""

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models.netmon import UNKNOWN, Router
from . import passwords, routeros

TLS_PORT = 8729


def target_for(router):
    """routeros.Target for a row; raises PasswordUnreadable when SECRET_KEY changed."""
    return routeros.Target(
        key=f"router:{router.id_router}",
        host=router.host,
        port=router.port,
        username=router.username,
        password=passwords.unseal(router.password),
        tls=router.tls,
        timeout=current_app.config["NETMON_ROUTER_TIMEOUT"],
    )


def new_router(nama, host, port, username, password, tls, sumber="panel"):
    router = Router(
        nama=nama,
        host=host,
        port=port,
        username=username,
        password=passwords.seal(password),
        tls=tls,
        aktif=True,
        status=UNKNOWN,
        galat="",
        sumber=sumber,
        dibuat=clock.utcnow(),
    )
    db.session.add(router)
    return router


def get(id_router):
    return db.session.get(Router, id_router)


def all_routers():
    return db.session.execute(select(Router).order_by(Router.nama)).scalars().all()


def save(id_router, nama, host, port, username, password, tls, aktif):
    """Add a router (id_router None) or change one, in the caller's transaction.

    `password` None keeps the stored one. Returns why the router was refused, or None.
    """
    clash = db.session.execute(select(Router).where(Router.nama == nama)).scalar_one_or_none()
    if clash is not None and clash.id_router != id_router:
        return "Nama router sudah dipakai"
    if id_router is None:
        new_router(nama, host, port, username, password or "", tls)
        return None
    router = db.session.get(Router, id_router)
    router.nama, router.host, router.port = nama, host, port
    router.username, router.tls, router.aktif = username, tls, aktif
    if password is not None:
        router.password = passwords.seal(password)
    return None


def delete(id_router):
    """Delete a router with its hosts and their history; its name, or None when there is none."""
    router = db.session.get(Router, id_router)
    if router is None:
        return None
    name = router.nama
    db.session.delete(router)
    return name


def ensure_config_router(config):
    """Add (or bring up to date) the router named by ROUTEROS_*; None when not set.

    Done when the worker starts rather than in create_app: only the worker polls, and
    web processes, CLI commands and tests should not write to the database on import.
    """
    if not config.get("ROUTEROS_HOST"):
        return None
    port = int(config.get("ROUTEROS_PORT") or 8728)
    fields = dict(
        host=config["ROUTEROS_HOST"],
        port=port,
        username=config.get("ROUTEROS_USER") or "admin",
        tls=port == TLS_PORT,
    )
    password = config.get("ROUTEROS_PASSWORD") or ""

    def work():
        router = db.session.execute(
            select(Router).where(Router.nama == config["ROUTEROS_NAME"])
        ).scalar_one_or_none()
        if router is None:
            return new_router(config["ROUTEROS_NAME"], password=password, sumber="config", **fields).nama
        for key, value in fields.items():
            setattr(router, key, value)
        if _readable(router.password) != password:
            router.password = passwords.seal(password)
        return router.nama

    return run_in_transaction(work)


def _readable(token):
    try:
        return passwords.unseal(token)
    except passwords.PasswordUnreadable:
        return None


def test_connection(router):
    """(True, 'identity ...') or (False, reason) for the panel's "Tes koneksi"."""
    try:
        name = routeros.identity(target_for(router))
        entries = routeros.call(target_for(router), "/tool/netwatch")
    except (routeros.RouterError, passwords.PasswordUnreadable) as error:
        return False, str(error)
    return True, f"Terhubung ke '{name}', {len(entries)} entri Netwatch."


def find(name):
    """An enabled router by name (case-insensitive), or None."""
    wanted = (name or "").strip().lower()
    for router in enabled():
        if router.nama.lower() == wanted:
            return router
    return None


def enabled():
    return list(db.session.execute(select(Router).where(Router.aktif).order_by(Router.id_router)).scalars())
