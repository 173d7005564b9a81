"""Outages, uptime and outages per day, computed from tb_event for the panel and exports.

An outage runs from a host's going down to its coming back (still open when it has not).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from .. import clock
from ..extensions import db
from ..models.netmon import DOWN, HOST, UP, Event, Host

HOUR = ("1 jam", timedelta(hours=1))
DAY = ("24 jam", timedelta(hours=24))
WINDOWS = (HOUR, DAY, ("7 hari", timedelta(days=7)), ("30 hari", timedelta(days=30)))


@dataclass
class Outage:
    host: Host
    start: datetime  # naive UTC
    end: datetime | None  # None: still down

    def seconds(self, now):
        return int(((self.end or now) - self.start).total_seconds())


def pair_outages(host, events, down_since=None):
    """Outages of one host from its events (oldest first); `down_since` opens an outage
    that was running when the first of them came."""
    out, open_outage = [], None
    if down_since is not None:
        open_outage = Outage(host, down_since, None)
        out.append(open_outage)
    for event in events:
        if event.status_baru == DOWN and open_outage is None:
            open_outage = Outage(host, event.waktu, None)
            out.append(open_outage)
        elif event.status_baru == UP and open_outage is not None:
            open_outage.end = event.waktu
            open_outage = None
    return out


def outages(start, end, host_id=None):
    """Every outage that overlaps [start, end), newest first, from the stored events alone.

    A host's state when the period begins is that of its last event before it; a host
    without one was, from when it was first seen, in the state its first event left (or,
    with no event at all, in the state it is in)."""
    hosts = select(Host).where(Host.aktif)
    if host_id:
        hosts = select(Host).where(Host.id_host == host_id)
    return _outages_of({h.id_host: h for h in db.session.execute(hosts).scalars()}, start, end)


def _outages_of(by_host, start, end):
    if not by_host:
        return []
    ids = list(by_host)
    last = (
        select(Event.id_host, func.max(Event.waktu).label("waktu"))
        .where(Event.jenis == HOST, Event.id_host.in_(ids), Event.waktu < start)
        .group_by(Event.id_host)
        .subquery()
    )
    # Plain rows: an Event entity would bring its host and router along (joined loading).
    columns = (Event.id_host, Event.waktu, Event.status_lama, Event.status_baru)
    before = select(*columns).join(last, and_(Event.id_host == last.c.id_host, Event.waktu == last.c.waktu))
    since = select(*columns).where(Event.jenis == HOST, Event.id_host.in_(ids), Event.waktu >= start)
    prior, events = {}, {}
    for event in db.session.execute(before.order_by(Event.id_event)):
        prior[event.id_host] = event  # the latest, should two share the moment
    for event in db.session.execute(since.order_by(Event.id_host, Event.waktu, Event.id_event)):
        events.setdefault(event.id_host, []).append(event)
    found = []
    for id_host, host in by_host.items():
        own = events.get(id_host, [])
        if id_host in prior:
            down_since = prior[id_host].waktu if prior[id_host].status_baru == DOWN else None
        else:
            first_state = own[0].status_lama if own else host.status
            down_since = host.dibuat if first_state == DOWN else None
        for outage in pair_outages(host, own, down_since):
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


def uptime_table(windows=WINDOWS):
    """[(host, [percent per window])] for every watched host, each window ending now."""
    hosts = (
        db.session.execute(select(Host).where(Host.aktif).order_by(Host.id_router, Host.komentar))
        .scalars()
        .all()
    )
    shares = uptime_of(hosts, windows)
    return [(h, shares[h.id_host]) for h in hosts]


def uptime_of(hosts, windows):
    """{host id: [percent per window]} for these hosts, each window ending now."""
    now = clock.utcnow()
    widest = now - max(span for _, span in windows)
    by_host = {}
    for outage in _outages_of({h.id_host: h for h in hosts}, widest, now):
        by_host.setdefault(outage.host.id_host, []).append(outage)
    return {
        h.id_host: [
            uptime_percent(h.dibuat, by_host.get(h.id_host, []), now - span, now) for _, span in windows
        ]
        for h in hosts
    }


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
