"""State changes of hosts and routers: events, then alerts. No HTTP, no RouterOS here.

Every function that writes runs its work in one run_in_transaction, so an event, the
host's new state and the queued alerts are stored together. The states in the database
are the truth across restarts: a poll after a restart compares with them, so nothing is
told twice and a change that happened while the app was down is told once.
"""

from datetime import timedelta

from sqlalchemy import select, update

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models.netmon import DOWN, HOST, NETWATCH, ROUTER, UNKNOWN, UP, Event, Host, Router
from . import alerts, router_clocks, rules, texts, tickets

# A router's clock may be off: a `since` further ahead than this is not believed.
CLOCK_SLACK = timedelta(minutes=5)
NO_CHAT = "tanpa chat tujuan"


def _plausible(at, previous, now):
    if at is None or at > now + CLOCK_SLACK or (previous is not None and at < previous):
        return now
    return at


def host_views(now):
    rows = db.session.execute(
        select(
            Host.id_host,
            Host.komentar,
            Host.host,
            Host.status,
            Host.id_induk,
            Host.pemeliharaan_mulai,
            Host.pemeliharaan_selesai,
        ).where(Host.aktif)
    )
    return {
        r.id_host: rules.HostView(
            r.id_host,
            r.komentar or r.host,
            r.status,
            r.id_induk,
            rules.in_maintenance(r.pemeliharaan_mulai, r.pemeliharaan_selesai, now),
        )
        for r in rows
    }


def record_changes(items, sumber):
    """Write an event per (host, new state, when) and queue the alerts the rules ask for.
    Runs inside the caller's transaction; returns the events."""
    if not items:
        return []
    now = clock.utcnow()
    changes, events = [], {}
    for host, new, at in items:
        old = host.status
        at = _plausible(at, host.sejak, now)
        lasted = int((at - host.sejak).total_seconds()) if host.sejak and old != UNKNOWN else None
        host.status, host.sejak, host.diubah = new, at, now
        if new == UP:
            host.diakui_oleh, host.diakui_pada, host.pengingat_terakhir = "", None, None
        event = Event(
            jenis=HOST,
            id_host=host.id_host,
            id_router=host.id_router,
            status_lama=old,
            status_baru=new,
            waktu=at,
            durasi=lasted,
            sumber=sumber,
            dialertkan=False,
            keterangan="",
            dicatat=now,
        )
        db.session.add(event)
        event.host = host
        events[host.id_host] = event
        changes.append(rules.Change(host.id_host, old, new))
    db.session.flush()
    decision = rules.decide(changes, host_views(now))
    told = alerts.host_alerts(decision, events)
    for host_id, event in events.items():
        reason = decision.reasons.get(host_id, "")
        event.dialertkan = reason == "" and told > 0
        event.keterangan = reason or ("" if told else NO_CHAT)
    tickets.recovered(events.values())
    return list(events.values())


def _router_state(router, new, now, error):
    """Reachability of a router; alerts once when lost and once when back."""
    router.galat = error
    old = router.status
    if old == new:
        return None
    lasted = int((now - router.sejak).total_seconds()) if router.sejak and old != UNKNOWN else None
    router.status, router.sejak = new, now
    event = Event(
        jenis=ROUTER,
        id_router=router.id_router,
        status_lama=old,
        status_baru=new,
        waktu=now,
        durasi=lasted,
        sumber="poll",
        dialertkan=False,
        keterangan=error[:255],
        dicatat=now,
    )
    db.session.add(event)
    db.session.flush()
    if rules.alert_router(old, new):
        address = f"{router.host}:{router.port}"
        at = alerts.to_local(now)
        if new == DOWN:
            text = texts.router_lost(router.nama, address, at, error)
        else:
            text = texts.router_back(router.nama, address, at, lasted)
        event.dialertkan = alerts.broadcast([text], f"tb_event:{event.id_event}") > 0
    return event


def router_lost(router_id, error):
    def work():
        router = db.session.get(Router, router_id)
        if router is not None:
            _router_state(router, DOWN, clock.utcnow(), str(error)[:2000])

    run_in_transaction(work)


def apply_netwatch(router_id, entries, read_at, reading=None):
    """What a poll read from a router's Netwatch; `read_at` is when the read began, and
    `reading` its /system/clock when that was read too."""

    def work():
        now = clock.utcnow()
        router = db.session.get(Router, router_id)
        if router is None:
            return []
        _router_state(router, UP, now, "")
        router.terakhir_dilihat = now
        if reading is not None:
            router_clocks.note(router, reading, now)
        known = {
            h.host: h
            for h in db.session.execute(
                select(Host).where(Host.id_router == router_id, Host.sumber == NETWATCH)
            ).scalars()
        }
        trusted = router_clocks.trusted(router)
        items, seen = _compare(router_id, known, entries, read_at, now, trusted)
        for host in known.values():
            if host.aktif and host.host not in seen:
                host.aktif = False
        db.session.flush()
        db.session.execute(
            update(Host).where(Host.id_router == router_id, Host.aktif).values(terakhir_dilihat=now)
        )
        return record_changes(items, "poll")

    return run_in_transaction(work)


def _compare(router_id, known, entries, read_at, now, trusted):
    """(host, new state, when) per change; `when` is Netwatch's `since` from a router whose
    clock is believed, else when the server read it."""
    items, seen = [], set()
    for entry in entries:
        if entry.disabled or entry.host in seen:
            continue
        seen.add(entry.host)
        status = entry.status if entry.status in (UP, DOWN) else UNKNOWN
        since = entry.since if trusted else read_at
        host = known.get(entry.host)
        if host is None:
            known[entry.host] = host = new_host(router_id, NETWATCH, entry.host, 0, entry.comment, now)
            if status == DOWN:
                # Already down when first seen: told like any change, from Netwatch's `since`.
                host.sejak = None
                items.append((host, status, since))
            else:
                host.status, host.sejak = status, since or now
            continue
        if host.komentar != entry.comment[:255]:
            host.komentar = entry.comment[:255]
        if not host.aktif:
            # Back in Netwatch after being removed or disabled there: what was stored is
            # stale, so it is seen afresh (and told if it is down).
            host.aktif, host.status = True, UNKNOWN
            host.diakui_oleh, host.diakui_pada, host.pengingat_terakhir = "", None, None
        # A push that came in after this poll began reading is newer than what it read.
        if status == UNKNOWN or status == host.status or (host.diubah and host.diubah > read_at):
            continue
        items.append((host, status, since))
    return items, seen


def new_host(router_id, sumber, address, port, comment, now):
    host = Host(
        id_router=router_id,
        sumber=sumber,
        host=address,
        port=port or 0,
        komentar=(comment or "")[:255],
        status=UNKNOWN,
        sejak=now,
        diubah=now,
        terakhir_dilihat=now,
        aktif=True,
        ulang_menit=0,
        diakui_oleh="",
        dibuat=now,
    )
    db.session.add(host)
    return host


def apply_push(address, status, router_name=""):
    """Netwatch's own up/down script called us: handled at once. Returns how many watched
    hosts matched (0: unknown host)."""

    def work():
        query = select(Host).where(Host.host == address, Host.aktif, Host.sumber == NETWATCH)
        if router_name:
            query = query.join(Router, Router.id_router == Host.id_router).where(Router.nama == router_name)
        hosts = list(db.session.execute(query).scalars())
        now = clock.utcnow()
        record_changes([(h, status, now) for h in hosts if h.status != status], "push")
        return len(hosts)

    return run_in_transaction(work)


def apply_checks(results, read_at):
    """Results of the built-in checks: {host id: up/down}."""

    def work():
        now = clock.utcnow()
        items = []
        for host in db.session.execute(select(Host).where(Host.id_host.in_(list(results)))).scalars():
            host.terakhir_dilihat = now
            status = results[host.id_host]
            if status != host.status and not (host.diubah and host.diubah > read_at):
                items.append((host, status, now))
        return record_changes(items, "cek")

    return run_in_transaction(work)
