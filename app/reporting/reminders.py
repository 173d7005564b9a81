"""Morning reminders: each technician's open jobs, and a digest of what is stuck."""

from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..messaging import outbox
from ..models import Admin, Monitoring
from ..models.people import AKTIF
from . import lifecycle, staff, technician, texts

STUCK_AFTER = timedelta(hours=24)


def remind_petugas():
    """Every active TBO with open jobs gets the #job list; returns how many were told."""
    today = clock.local_now().date()
    told = 0
    for petugas in db.session.execute(
        select(Admin).where(Admin.status == AKTIF, Admin.level == "TBO", Admin.telepon != "")
    ).scalars():
        if technician.open_jobs(petugas, today):
            outbox.enqueue(petugas.telepon, technician.job_list(petugas, today), sumber="pengingat")
            told += 1
    return told


def _local(tanggal, jam):
    return clock.local_at(tanggal, jam)


def stuck_reports(now):
    """(reports Baru without a PJ for 24 h, (report, penugasan) not started 24 h after assignment)."""
    limit = now - STUCK_AFTER
    unassigned, not_started = [], []
    candidates = db.session.execute(
        select(Monitoring)
        .where(Monitoring.status.in_((lifecycle.BARU, lifecycle.PROSES)))
        .where(Monitoring.tanggal <= limit.date())
        .order_by(Monitoring.idm)
    ).scalars()
    for report in candidates:
        active = staff.active_assignments(report)
        if not active:
            if _local(report.tanggal, report.jam) <= limit:
                unassigned.append(report)
            continue
        # A team is stuck only while none of it has started: a member waiting while a
        # teammate works is no news for the Administrators.
        if any((p.status or "").lower() != staff.DITUGASKAN.lower() for p in active):
            continue
        not_started += [(report, p) for p in active if _local(p.tanggal, p.jam) <= limit]
    return unassigned, not_started


def digest_for_administrators():
    """Administrators get the stuck list when there is one; returns how many were told."""
    unassigned, not_started = stuck_reports(clock.local_now())
    if not unassigned and not not_started:
        return 0
    names = {a.id_admin: a.nama_admin for a in db.session.execute(select(Admin)).scalars()}
    told = 0
    for admin in db.session.execute(
        select(Admin).where(Admin.status == AKTIF, Admin.level == "Administrator", Admin.telepon != "")
    ).scalars():
        text = texts.admin_digest(admin.nama_admin, unassigned, not_started, names)
        outbox.enqueue(admin.telepon, text, sumber="pengingat")
        told += 1
    return told
