"""The dashboard's numbers: each a small aggregate query, the same on SQLite and MySQL."""

import json
from contextlib import suppress
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models import Admin, Monitoring, Penugasan, Statistik
from ..reporting import categories, staff
from ..reporting.dates import BULAN
from ..reporting.lifecycle import BARU, PENDING, PROSES, STATUSES

OPEN = (BARU, PROSES, PENDING)


def counts_by_category_and_status():
    """[(id_bidang, status, count)]: one pass over the index (id_bidang, status), from which
    the dashboard takes both its counts per status and per category."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Monitoring.id_bidang, Monitoring.status, func.count()).group_by(
                Monitoring.id_bidang, Monitoring.status
            )
        ).all()
    ]


def by_status(counts):
    found = {}
    for _, status, count in counts:
        found[status] = found.get(status, 0) + count
    return {status: found.get(status, 0) for status in STATUSES}


def by_category(counts):
    """[(name, reports, open reports)]: every category, Umum included, the most reports
    first, then by name."""
    names = categories.names()
    totals = {nama: [0, 0] for nama in [categories.UMUM, *names.values()]}
    for id_bidang, status, count in counts:
        total = totals.setdefault(names[id_bidang], [0, 0])
        total[0] += count
        if status in OPEN:
            total[1] += count
    return sorted(
        ((nama, n, n_open) for nama, (n, n_open) in totals.items()),
        key=lambda item: (-item[1], item[0].casefold()),
    )


def unread():
    return db.session.execute(
        select(func.count()).select_from(Monitoring).where(Monitoring.tag == 0)
    ).scalar_one()


def per_month(months=12):
    """[(label, count)] for the last `months` months, oldest first, empty months included.

    Counted per day (an index range) and summed into months here: grouping by a computed
    month makes both databases scan every row.
    """
    today = clock.local_now().date()
    start_index = today.year * 12 + today.month - 1 - (months - 1)
    start = date(start_index // 12, start_index % 12 + 1, 1)
    found = {}
    for day, count in db.session.execute(
        select(Monitoring.tanggal, func.count())
        .where(Monitoring.tanggal >= start)
        .group_by(Monitoring.tanggal)
    ).all():
        key = (day.year, day.month)
        found[key] = found.get(key, 0) + count
    result = []
    for index in range(start_index, start_index + months):
        y, m = index // 12, index % 12 + 1
        result.append((f"{BULAN[m - 1][:3]} {y}", found.get((y, m), 0)))
    return result


def _active_assignment():
    return staff.active_assignment_clause()


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
        .where(Monitoring.status.in_(OPEN), _active_assignment())
        .group_by(Admin.nama_admin)
        .order_by(Admin.nama_admin)
    ).all()
    return [(nama, n) for nama, n in rows]


# Aggregates over every assignment in history: counted by the worker every minute and
# kept in tb_statistik; a page that finds them older than MAX_AGE counts them itself.
PRECOUNTED = {"durasi": durasi_per_petugas, "open_jobs": open_jobs_per_petugas}
MAX_AGE = timedelta(minutes=5)


def _store(kunci, value):
    def work():
        row = db.session.get(Statistik, kunci)
        if row is None:
            row = Statistik(kunci=kunci)
            db.session.add(row)
        row.nilai = json.dumps(value)
        row.diperbarui = clock.utcnow()

    # Another process may store the same count at the same moment: either is right.
    with suppress(IntegrityError):
        run_in_transaction(work)


def precounted(kunci):
    row = db.session.get(Statistik, kunci)
    if row is not None and clock.utcnow() - row.diperbarui <= MAX_AGE:
        return [tuple(item) for item in json.loads(row.nilai)], row.diperbarui
    value = PRECOUNTED[kunci]()
    _store(kunci, value)
    return value, clock.utcnow()


def refresh(_config=None):
    """Worker job: count the heavy aggregates again."""
    for kunci, compute in PRECOUNTED.items():
        _store(kunci, compute())


def forget():
    """After a change the dashboard must show at once (tests, imports)."""
    db.session.query(Statistik).delete()


def dashboard():
    durasi, counted_at = precounted("durasi")
    open_jobs, _ = precounted("open_jobs")
    counts = counts_by_category_and_status()
    return {
        "status": by_status(counts),
        "categories": by_category(counts),
        "unread": unread(),
        "per_month": per_month(),
        "durasi": durasi,
        "open_jobs": open_jobs,
        "counted_at": counted_at,
    }
