"""The dashboard's numbers: each a small aggregate query, the same on SQLite and MySQL."""

from datetime import date

from sqlalchemy import extract, func, select

from .. import clock
from ..extensions import db
from ..models import Admin, Monitoring, Penugasan
from ..reporting import staff
from ..reporting.dates import BULAN
from ..reporting.lifecycle import BARU, PENDING, PROSES, STATUSES


def by_status():
    counts = dict(
        db.session.execute(select(Monitoring.status, func.count()).group_by(Monitoring.status)).all()
    )
    return {status: counts.get(status, 0) for status in STATUSES}


def unread():
    return db.session.execute(
        select(func.count()).select_from(Monitoring).where(Monitoring.tag == 0)
    ).scalar_one()


def per_month(months=12):
    """[(label, count)] for the last `months` months, oldest first, empty months included."""
    today = clock.local_now().date()
    start_index = today.year * 12 + today.month - 1 - (months - 1)
    start = date(start_index // 12, start_index % 12 + 1, 1)
    year, month = extract("year", Monitoring.tanggal), extract("month", Monitoring.tanggal)
    found = {
        (int(y), int(m)): n
        for y, m, n in db.session.execute(
            select(year, month, func.count()).where(Monitoring.tanggal >= start).group_by(year, month)
        ).all()
    }
    result = []
    for index in range(start_index, start_index + months):
        y, m = index // 12, index % 12 + 1
        result.append((f"{BULAN[m - 1][:3]} {y}", found.get((y, m), 0)))
    return result


def _active_assignment():
    return func.lower(Penugasan.status).notin_(staff.ENDED)


def durasi_per_petugas():
    """[(nama, average hours from report to Selesai, reports)] over finished reports."""
    rows = db.session.execute(
        select(Admin.nama_admin, func.avg(Monitoring.durasi), func.count(func.distinct(Monitoring.idm)))
        .join(Penugasan, Penugasan.id_admin == Admin.id_admin)
        .join(Monitoring, Monitoring.idm == Penugasan.idm)
        .where(Monitoring.durasi > 0, _active_assignment())
        .group_by(Admin.nama_admin)
        .order_by(Admin.nama_admin)
    ).all()
    return [(nama, round(float(avg or 0) / 3600, 1), n) for nama, avg, n in rows]


def open_jobs_per_petugas():
    rows = db.session.execute(
        select(Admin.nama_admin, func.count(func.distinct(Monitoring.idm)))
        .join(Penugasan, Penugasan.id_admin == Admin.id_admin)
        .join(Monitoring, Monitoring.idm == Penugasan.idm)
        .where(Monitoring.status.in_((BARU, PROSES, PENDING)), _active_assignment())
        .group_by(Admin.nama_admin)
        .order_by(Admin.nama_admin)
    ).all()
    return [(nama, n) for nama, n in rows]


def dashboard():
    return {
        "status": by_status(),
        "unread": unread(),
        "per_month": per_month(),
        "durasi": durasi_per_petugas(),
        "open_jobs": open_jobs_per_petugas(),
    }
