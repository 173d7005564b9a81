"""The office hears of new reports: each Administrator and Staf as they chose in their
account (every report at once, a summary at 07:00, or nothing), and the Telegram chats
marked for reports. Everything is queued through the outbox in the caller's transaction.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from .. import clock
from ..accounts import PANEL_LEVELS
from ..database import core_execute
from ..extensions import db
from ..messaging import outbox
from ..models import Admin, Monitoring
from ..models.people import AKTIF, DAILY_SUMMARY, EVERY_REPORT
from ..netmon import chats
from . import categories, texts

TELEGRAM = "telegram"
SUMMARY_SPAN = timedelta(hours=24)


def _office(choice):
    return select(Admin).where(
        Admin.status == AKTIF,
        Admin.level.in_(PANEL_LEVELS),
        Admin.telepon != "",
        Admin.notifikasi_laporan == choice,
    )


# Built once: it runs in the webhook's write transaction (see inbound._INSERT_IN).
_EVERY_REPORT = _office(EVERY_REPORT).with_only_columns(Admin.telepon).order_by(Admin.id_admin)


def tell_new_report(report, reporter, complaint, kategori):
    """Queue a new report (service.NewReport) for the office; returns how many
    people and chats it goes to. The reporter is not told of their own report."""
    text = texts.office_new_report(report.id_track, reporter.addressee, kategori, complaint)
    sumber = f"tb_monitoring:{report.idm}"
    phones = [p for p in dict.fromkeys(core_execute(_EVERY_REPORT).scalars()) if p != reporter.telepon]
    for telepon in phones:
        outbox.enqueue(telepon, text, id_track=report.id_track, sumber=sumber)
    # Without a bot token the rows would only pile up in the queue.
    report_chats = chats.report_chats() if current_app.config.get("TELEGRAM_BOT_TOKEN") else []
    if report_chats:
        html = texts.office_new_report(
            report.id_track, reporter.addressee, kategori, complaint, for_telegram=True
        )
        for chat in report_chats:
            outbox.enqueue(chat, html, kanal=TELEGRAM, id_track=report.id_track, sumber=sumber)
    return len(phones) + len(report_chats)


def reports_since(since):
    """Reports received from `since` (aware local time) on, oldest first."""
    candidates = db.session.execute(
        select(Monitoring).where(Monitoring.tanggal >= since.date()).order_by(Monitoring.idm)
    ).scalars()
    return [r for r in candidates if clock.local_at(r.tanggal, r.jam) >= since]


def daily_summary():
    """At 07:00: the last 24 hours' reports to everyone who chose the summary, once a day
    each (a second run the same day sends nothing); nothing when there were none.
    Returns how many were told."""
    now = clock.local_now()
    since = now - SUMMARY_SPAN
    names = categories.names()
    rows = [(report, names[report.id_bidang]) for report in reports_since(since)]
    if not rows:
        return 0
    today = now.date()
    told = 0
    for admin in db.session.execute(_office(DAILY_SUMMARY).order_by(Admin.id_admin)).scalars().all():
        # Claimed with a conditional UPDATE in this transaction: of two runs, one sends.
        claimed = db.session.execute(
            update(Admin)
            .where(
                Admin.id_admin == admin.id_admin,
                or_(Admin.ringkasan_terakhir.is_(None), Admin.ringkasan_terakhir < today),
            )
            .values(ringkasan_terakhir=today)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            outbox.enqueue(
                admin.telepon, texts.office_summary(admin.nama_admin, rows, since), sumber="ringkasan"
            )
            told += 1
    return told
