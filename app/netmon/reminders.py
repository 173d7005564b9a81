"""Reminders while a host stays down, and acknowledging an outage from Telegram."""

from sqlalchemy import func, or_, select

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models.netmon import DOWN, Host
from . import alerts, hosts, rules, service, texts


def send_due(config):
    """Worker job: queue the reminders that are due; returns how many hosts were reminded."""

    def work():
        now = clock.utcnow()
        candidates = list(
            db.session.execute(
                select(Host).where(
                    Host.aktif, Host.status == DOWN, Host.ulang_menit > 0, Host.diakui_pada.is_(None)
                )
            ).scalars()
        )
        if not candidates:
            return 0
        views = service.host_views(now)
        due = [h for h in candidates if rules.reminder_due(_view(h, views, now), now)]
        words = alerts.said()
        for host in due:
            text = texts.reminder(
                host.label, host.host, alerts.to_local(host.sejak), (now - host.sejak).total_seconds(), words
            )
            alerts.broadcast([text], f"tb_host:{host.id_host}", [host])
            host.pengingat_terakhir = now
        return len(due)

    return run_in_transaction(work)


def _view(host, views, now):
    return rules.ReminderView(
        id=host.id_host,
        status=host.status,
        every_minutes=host.ulang_menit,
        since=host.sejak,
        last_reminder=host.pengingat_terakhir,
        acknowledged=host.diakui_pada is not None,
        maintenance=rules.in_maintenance(host.pemeliharaan_mulai, host.pemeliharaan_selesai, now),
        parent_down=rules.down_ancestor(host.id_host, views) is not None,
        router_lost=hosts.router_lost(host),
    )


def find_host(reference):
    """A host by id ("12"), address or comment (case-insensitive)."""
    reference = (reference or "").strip()
    if reference.isdigit() and (host := db.session.get(Host, int(reference))) is not None:
        return host
    return db.session.execute(
        select(Host)
        .where(Host.aktif, or_(Host.host == reference, func.lower(Host.komentar) == reference.lower()))
        .order_by(Host.id_host)
        .limit(1)
    ).scalar_one_or_none()


def acknowledge(reference, by):
    """Stop the reminders of an outage. Returns (text, told): a fresh acknowledgement is
    told to every allowed chat (told=True), so the team knows someone is on it; anything
    else is only the answer for whoever asked."""

    def work():
        host = find_host(reference)
        if host is None:
            return texts.ack_unknown(reference), False
        if host.status != DOWN:
            return texts.ack_not_down(host.label), False
        if host.diakui_pada is not None:
            return texts.acknowledged(host.label, host.diakui_oleh), False
        host.diakui_oleh, host.diakui_pada = by[:100], clock.utcnow()
        text = texts.acknowledged(host.label, host.diakui_oleh)
        return text, alerts.broadcast([text], f"tb_host:{host.id_host}") > 0

    return run_in_transaction(work)
