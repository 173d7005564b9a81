"""Outages, uptime and outages per day, computed from tb_event for the panel and exports.

An outage runs from a host's going down to its coming back (still open when it has not).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models.netmon import DOWN, HOST, UP, Event, Host

WINDOWS = (("24 jam", timedelta(hours=24)), ("7 hari", timedelta(days=7)), ("30 hari", timedelta(days=30)))


@dataclass
class Outage:
    host: Host
    start: datetime  # naive UTC
    end: datetime | None  # None: still down

    def seconds(self, now):
        return int(((self.end or now) - self.start).total_seconds())


def pair_outages(host, events):
    """Outages of one host from its events (oldest first), plus its present state."""
    out, open_outage = [], None
    for event in events:
        if event.status_baru == DOWN and open_outage is None:
            open_outage = Outage(host, event.waktu, None)
            out.append(open_outage)
        elif event.status_baru == UP and open_outage is not None:
            open_outage.end = event.waktu
            open_outage = None
    if host.status == DOWN and open_outage is None and host.sejak is not None:
        out.append(Outage(host, host.sejak, None))
    return out


def outages(start, end, host_id=None):
    """Every outage that overlaps [start, end), newest first."""
    hosts = select(Host).where(Host.aktif)
    if host_id:
        hosts = select(Host).where(Host.id_host == host_id)
    by_host = {h.id_host: h for h in db.session.execute(hosts).scalars()}
    if not by_host:
        return []
    query = (
        select(Event)
        .where(
            Event.jenis == HOST,
            Event.id_host.in_(list(by_host)),
            Event.waktu < end,
            Event.waktu >= start - timedelta(days=30),
        )
        .order_by(Event.id_host, Event.waktu, Event.id_event)
    )
    events = {}
    for event in db.session.execute(query).scalars():
        events.setdefault(event.id_host, []).append(event)
    found = []
    for host_id_, host in by_host.items():
        for outage in pair_outages(host, events.get(host_id_, [])):
            if outage.start < end and (outage.end is None or outage.end > start):
                found.append(outage)
    return sorted(found, key=lambda o: o.start, reverse=True)


def uptime_percent(created, host_outages, start, end):
    """Percent of [start, end) a host was not down; None before it was watched at all."""
    begin = max(start, created)
    if begin >= end:
        return None
    down = timedelta()
    for outage in host_outages:
        overlap = min(outage.end or end, end) - max(outage.start, begin)
        if overlap > timedelta():
            down += overlap
    return round(100 * (1 - down / (end - begin)), 2)


def uptime_table():
    """[(host, [percent per window])] for every watched host."""
    now = clock.utcnow()
    widest = now - WINDOWS[-1][1]
    by_host = {}
    for outage in outages(widest, now):
        by_host.setdefault(outage.host.id_host, []).append(outage)
    hosts = db.session.execute(
        select(Host).where(Host.aktif).order_by(Host.id_router, Host.komentar)
    ).scalars()
    return [
        (h, [uptime_percent(h.dibuat, by_host.get(h.id_host, []), now - span, now) for _, span in WINDOWS])
        for h in hosts
    ]


def outages_per_day(days=30):
    """[(local date, outages that began that day)] for the last `days` days, oldest first."""
    today = clock.local_now().date()
    start = clock.to_utc(clock.local_at(today - timedelta(days=days - 1)))
    rows = db.session.execute(
        select(Event.waktu).where(Event.jenis == HOST, Event.status_baru == DOWN, Event.waktu >= start)
    ).scalars()
    counts = Counter(clock.to_local(w).date() for w in rows)
    return [
        (today - timedelta(days=n), counts.get(today - timedelta(days=n), 0)) for n in range(days - 1, -1, -1)
    ]
