"""The monthly recap for printing: reports of a month by status, by category and by PJ."""

from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import Admin, Monitoring, Penugasan
from ..reporting import categories, staff
from ..reporting.lifecycle import STATUSES


def month_range(year, month):
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def monthly(year, month):
    start, end = month_range(year, month)
    in_month = (Monitoring.tanggal >= start, Monitoring.tanggal < end)
    by_status = dict(
        db.session.execute(
            select(Monitoring.status, func.count()).where(*in_month).group_by(Monitoring.status)
        ).all()
    )
    names = categories.names()
    by_category = {}
    for id_bidang, count in db.session.execute(
        select(Monitoring.id_bidang, func.count()).where(*in_month).group_by(Monitoring.id_bidang)
    ).all():
        nama = names[id_bidang]
        by_category[nama] = by_category.get(nama, 0) + count
    per_pj = db.session.execute(
        select(Admin.nama_admin, func.count(func.distinct(Monitoring.idm)), func.avg(Monitoring.durasi))
        .join(Penugasan, Penugasan.id_admin == Admin.id_admin)
        .join(Monitoring, Monitoring.idm == Penugasan.idm)
        .where(*in_month, staff.active_assignment_clause())
        .group_by(Admin.nama_admin)
        .order_by(Admin.nama_admin)
    ).all()
    rated = db.session.execute(
        select(func.avg(Monitoring.nilai), func.count()).where(*in_month, Monitoring.nilai > 0)
    ).one()
    return {
        "start": start,
        "status": [(s, by_status.get(s, 0)) for s in STATUSES],
        "total": sum(by_status.values()),
        "categories": sorted(by_category.items(), key=lambda item: (-item[1], item[0].casefold())),
        "per_pj": [(nama, n, round(float(avg or 0) / 3600, 1)) for nama, n, avg in per_pj],
        "rating": (round(float(rated[0]), 2) if rated[0] else None, rated[1]),
    }
