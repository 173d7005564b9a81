"""Routing: a new report of an automatic category (`otomatis`) is assigned at once to its
team, through the same service as the panel's assignment form (lifecycle.assign_team), so
the members get the usual WhatsApp and the reporter the usual notice. Without `otomatis`
the same choice is only suggested in the form.

Who: every active member of the category's team, in the team's order (the first leads);
with `satu` the one active member with the fewest open jobs, a tie going to the one
listed first.
"""

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import Bidang, Monitoring, Penugasan
from . import categories, lifecycle, staff, texts

OPEN = (lifecycle.BARU, lifecycle.PROSES, lifecycle.PENDING)
ACTOR = "sistem"


def open_jobs(id_admins):
    """id_admin -> how many open reports they are PJ of (as #job counts them)."""
    if not id_admins:
        return {}
    return dict(
        db.session.execute(
            select(Penugasan.id_admin, func.count(func.distinct(Monitoring.idm)))
            .join(Monitoring, Monitoring.idm == Penugasan.idm)
            .where(
                Penugasan.id_admin.in_(id_admins),
                staff.active_assignment_clause(),
                Monitoring.status.in_(OPEN),
            )
            .group_by(Penugasan.id_admin)
        ).all()
    )


def least_busy(members):
    """The member with the fewest open jobs; min() keeps the first of equals."""
    counts = open_jobs([member.id_admin for member in members])
    return min(members, key=lambda member: counts.get(member.id_admin, 0))


def chosen(id_bidang, satu):
    """The people a report of this category goes to (Admin rows, the lead first)."""
    active = categories.active_members(id_bidang)
    if satu and active:
        return [least_busy(active)]
    return active


def suggestion(report):
    """(category name, the people the assignment form preselects) for a report."""
    row = db.session.get(Bidang, report.id_bidang)
    if row is None:
        return categories.UMUM, []
    return row.nama, chosen(row.id_bidang, row.satu)


def route(new_report):
    """Assign a report just made (service.NewReport) when its category says so, in the
    caller's transaction, after its reply was queued (the reporter reads the tracking
    number first). Returns the people assigned."""
    bidang = new_report.bidang
    if not bidang.otomatis:
        return []
    report = db.session.get(Monitoring, new_report.idm)
    team = chosen(bidang.id_bidang, bidang.satu)
    why = None if team else texts.unrouted_note(bidang.nama)
    if team:
        try:
            lifecycle.assign_team(report, team, texts.routed_note(bidang.nama), oleh=ACTOR)
        except lifecycle.LifecycleError as refused:
            # assign_team refuses before it stores anything; the report itself must stay,
            # or the provider would deliver the message again and again.
            team, why = [], texts.unrouted_note(bidang.nama, str(refused))
    outcome = {"kategori": bidang.nama, "pj": [member.id_admin for member in team]}
    if why:
        report.keterangan = outcome["alasan"] = why
    audit.record("tugaskan otomatis", "laporan", report.id_track, None, outcome, actor=ACTOR)
    return team
