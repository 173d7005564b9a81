"""Outage -> job: a host down for NETMON_TICKET_AFTER_SECONDS opens a report in
tb_monitoring through the same services as a WhatsApp report (tracking number, the
category matching "jaringan", routing to its team, the office's notice), and the host's
recovery finishes it.

Only the worker's poller opens reports (open_due, after each poll round), one transaction
per outage: the report and the outage's tb_event.idm are stored together, and the host and
event rows are read locked first, so a restarted or second worker finds the report and a
recovery recorded meanwhile is seen. Recovery is written in the transaction of the host's
UP event (the poller, a built-in check or Netwatch's push), so it is told exactly once.

One outage, one report: a host whose parent is down is told inside the parent's alert
and listed in the parent's report, never one of its own.
"""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from .. import clock
from ..database import latest_locked, run_in_transaction
from ..extensions import db
from ..models import Monitoring
from ..models.netmon import DOWN, HOST, UP, Event, Host
from ..reporting import categories, lifecycle, office, routing
from ..reporting import service as reports
from ..reporting import texts as report_texts
from . import alerts, rules, service, texts

log = logging.getLogger("sarpras.netmon")

REPORTER = reports.Reporter(
    telepon="", nama=report_texts.NETWORK_REPORTER, profil=report_texts.NETWORK_PROFILE
)


def open_due(config):
    """Open the reports of outages that have lasted long enough; returns their tracking
    numbers. Each outage in its own transaction: one that fails waits for the next round."""
    after = config.get("NETMON_TICKET_AFTER_SECONDS") or 0
    if after <= 0:
        return []
    cutoff = clock.utcnow() - timedelta(seconds=after)
    opened = []
    # A plain read: most rounds find nothing, and must not wait for the writers' lock.
    for id_event in _due(cutoff):
        try:
            number = run_in_transaction(lambda id_event=id_event: _open(id_event))
        except Exception:
            log.exception("laporan gangguan dari tb_event #%s gagal dibuat", id_event)
            continue
        if number:
            opened.append(number)
    return opened


def _current_outages():
    """The latest up/down event of each host that is down now (its outage's start)."""
    down = select(Host.id_host).where(Host.aktif, Host.status == DOWN)
    return (
        select(func.max(Event.id_event))
        .where(Event.jenis == HOST, Event.id_host.in_(down), Event.status_baru.in_((UP, DOWN)))
        .group_by(Event.id_host)
    )


def _due(cutoff):
    return list(
        db.session.execute(
            select(Event.id_event)
            .where(
                Event.id_event.in_(_current_outages()),
                Event.status_baru == DOWN,
                Event.idm.is_(None),
                # Told on its own (not inside a parent's alert, not during maintenance).
                Event.keterangan.in_(("", service.NO_CHAT)),
                Event.waktu <= cutoff,
            )
            .order_by(Event.id_event)
        ).scalars()
    )


def _open(id_event):
    event = db.session.get(Event, id_event)
    host = latest_locked(Host, event.id_host) if event is not None else None
    event = latest_locked(Event, id_event)
    if host is None or event is None or event.idm is not None or host.status != DOWN or not host.aktif:
        return None
    now = clock.utcnow()
    views = service.host_views(now)
    view = views.get(host.id_host)
    # Under maintenance now, or below a parent that went down since: not this host's job
    # (the parent's report lists it). Asked again at the next round.
    if view is None or view.maintenance or rules.down_ancestor(host.id_host, views) is not None:
        return None
    children = _children(host.id_host, views)
    since = clock.to_local(event.waktu)
    complaint = report_texts.network_outage(host.label, host.host, _watcher(host), since, children)
    report = reports.create_report(
        REPORTER, complaint, bidang=categories.choose(report_texts.NETWORK_CATEGORY_WORD)
    )
    event.idm = report.idm
    office.tell_new_report(report, REPORTER, complaint, report.bidang.nama)
    team = routing.route(report)
    alerts.broadcast(
        [
            texts.ticket_opened(
                host.label,
                host.host,
                report.id_track,
                report.bidang.nama,
                [member.nama_admin for member in team],
                since,
                (now - event.waktu).total_seconds(),
            )
        ],
        f"tb_event:{event.id_event}",
    )
    return report.id_track


def _children(host_id, views):
    """(label, address) of the hosts down below this one, told inside its outage."""
    ids = [i for i, v in views.items() if v.status == DOWN and rules.down_ancestor(i, views) == host_id]
    if not ids:
        return []
    rows = db.session.execute(select(Host).where(Host.id_host.in_(ids)).order_by(Host.id_host)).scalars()
    return [(h.label, h.host) for h in rows]


def _watcher(host):
    return f"router {host.router.nama}" if host.router is not None else texts.builtin_check(host.sumber)


def recovered(events):
    """Finish the reports of the outages that ended in this batch of events, inside the
    caller's transaction: a progress line with the downtime, and Selesai unless a petugas
    already finished it (or it was closed), then only the line."""
    for event in events:
        if event.status_baru != UP:
            continue
        start = _outage_start(event)
        if start is None:
            continue
        report = db.session.get(Monitoring, start.idm)
        if report is None:  # removed by hand from the database
            continue
        line = report_texts.network_recovered_line(
            clock.to_local(event.waktu), (event.waktu - start.waktu).total_seconds()
        )
        if report.status in (lifecycle.SELESAI, lifecycle.DIKONFIRMASI):
            lifecycle.add_track(report, line)
        else:
            lifecycle.finish_unattended(report, line)


def _outage_start(up):
    """The DOWN event an UP event ends, when it opened a report; read locked, so a report
    being opened for it right now is waited for and seen."""
    previous = db.session.execute(
        select(Event.id_event, Event.status_baru)
        .where(
            Event.id_host == up.id_host,
            Event.jenis == HOST,
            Event.id_event < up.id_event,
            Event.status_baru.in_((UP, DOWN)),
        )
        .order_by(Event.id_event.desc())
        .limit(1)
    ).first()
    if previous is None or previous.status_baru != DOWN:
        return None
    start = latest_locked(Event, previous.id_event)
    return start if start is not None and start.idm else None
