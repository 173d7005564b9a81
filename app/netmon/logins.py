"""Login attacks on the routers: a worker job reads each enabled router's /log, keeps the
failed logins as bursts per address (routerlog), and alerts each burst once on Telegram.

Only the lines after the one read last are taken. The first read of a router takes only
the last WINDOW of its buffer: failures from before the monitor knew the router are not
news. An unreachable router is skipped; the Netwatch poll already says so.
"""

import logging
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models.netmon import Router, RouterLoginGagal
from . import alerts, passwords, poller, router_clocks, routerlog, routeros, routers, texts

log = logging.getLogger("sarpras.netmon")

LOG_SECONDS = 30
RECENT = 20  # bursts shown on the routers page


def poll_all(config):
    """Read every enabled router's /log; returns how many bursts were alerted."""
    futures = {}
    for router in routers.enabled():
        try:
            target = routers.target_for(router)
        except passwords.PasswordUnreadable:
            continue
        futures[router.id_router] = poller.on_router_thread(router.id_router, routeros.log, target)
    wait = config["NETMON_ROUTER_TIMEOUT"] * 3 + 1
    threshold = int(config["NETMON_LOGIN_FAILURES"])
    alerted = 0
    for router_id, future in futures.items():
        try:
            rows = future.result(timeout=wait)
        except (routeros.RouterError, FutureTimeout) as error:
            log.info("router #%s: /log tidak terbaca: %s", router_id, error)
            continue
        alerted += run_in_transaction(
            lambda router_id=router_id, rows=rows: apply_log(router_id, rows, threshold)
        )
    return alerted


def apply_log(router_id, rows, threshold):
    """Take a router's /log rows in the caller's transaction; returns bursts alerted."""
    router = db.session.get(Router, router_id)
    if router is None:
        return 0
    now = clock.utcnow()
    fresh, mark = routerlog.new_rows(rows, router.log_terakhir)
    first_read, router.log_terakhir = router.log_terakhir is None, mark
    # The router's own zone and its own today (its clock may be a little off ours).
    zone = router_clocks.zone(router) or clock.zone()
    router_now = (now + timedelta(seconds=router.selisih_jam or 0)).replace(tzinfo=UTC)
    failures = [f for row in fresh if (f := routerlog.failure(row, zone, router_now)) is not None]
    if router.selisih_jam and not router_clocks.trusted(router):
        # A clock that is off by a known amount: its lines are put right by that amount,
        # so bursts and the first read's WINDOW are measured on our clock.
        skew = timedelta(seconds=router.selisih_jam)
        failures = [replace(f, at=f.at - skew) for f in failures]
    if first_read:
        failures = [f for f in failures if now - f.at <= routerlog.WINDOW]
    by_address = {}
    for failure in sorted(failures, key=lambda f: f.at):
        by_address.setdefault(failure.address, []).append(failure)
    alerted = 0
    for address, found in by_address.items():
        alerted += _take(router, address, found, threshold, now)
    return alerted


def _take(router, address, failures, threshold, now):
    row = _latest(router.id_router, address)
    burst = _burst(row) if row is not None else None
    to_alert = None
    for failure in failures:
        burst, new, alert = routerlog.step(burst, failure, threshold)
        if new:
            row = RouterLoginGagal(id_router=router.id_router, alamat=address[:100], dicatat=now)
            db.session.add(row)
        _store(row, burst, failure.via)
        if alert:
            to_alert = row
    if to_alert is None:
        return 0
    db.session.flush()
    text = texts.login_attack(
        router.nama,
        to_alert.alamat,
        to_alert.pengguna,
        to_alert.jumlah,
        to_alert.lewat,
        clock.to_local(to_alert.mulai),
    )
    alerts.broadcast([text], f"tb_router_login_gagal:{to_alert.id}")
    return 1


def _latest(router_id, address):
    query = (
        select(RouterLoginGagal)
        .where(RouterLoginGagal.id_router == router_id, RouterLoginGagal.alamat == address[:100])
        .order_by(RouterLoginGagal.terakhir.desc(), RouterLoginGagal.id.desc())
        .limit(1)
    )
    return db.session.execute(query).scalar_one_or_none()


_STAMP = "%Y-%m-%dT%H:%M:%S"


def _burst(row):
    recent = tuple(datetime.strptime(t, _STAMP) for t in row.jejak.split())
    users = tuple(u for u in row.pengguna.split(", ") if u)
    return routerlog.Burst(row.mulai, row.terakhir, row.jumlah, users, recent, row.dialertkan)


def _store(row, burst, via):
    row.mulai, row.terakhir, row.jumlah = burst.first, burst.last, burst.count
    row.pengguna = ", ".join(burst.users)
    vias = [v for v in (row.lewat or "").split(", ") if v]
    row.lewat = ", ".join(vias if via in vias else [*vias, via])
    row.jejak = " ".join(t.strftime(_STAMP) for t in burst.recent)
    row.dialertkan = burst.alerted


def recent():
    """The latest alerted bursts, newest first, for the routers page."""
    query = (
        select(RouterLoginGagal)
        .where(RouterLoginGagal.dialertkan)
        .order_by(RouterLoginGagal.terakhir.desc())
        .limit(RECENT)
    )
    return db.session.execute(query).scalars().all()
