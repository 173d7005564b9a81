"""The reports list ("Data Monitoring"): filters, search, sort and paging in one query,
shared by the page, the print page and the Excel export."""

from dataclasses import dataclass, field, fields, replace
from datetime import date

from sqlalchemy import func, or_, select

from .. import clock
from ..extensions import db
from ..models import Admin, Monitoring, Penugasan
from ..phone import normalize_phone
from ..reporting import staff
from ..reporting.commands import parse_tracking_id
from ..reporting.lifecycle import STATUSES
from . import paging
from .date_filter import read_day

SORTS = {
    "terbaru": (Monitoring.idm.desc(),),
    "terlama": (Monitoring.idm.asc(),),
    "status": (Monitoring.status.asc(), Monitoring.idm.desc()),
    "pelapor": (Monitoring.nama_pelapor.asc(), Monitoring.idm.desc()),
}


@dataclass(frozen=True)
class ReportFilter:
    q: str = ""
    status: str = ""
    bidang: int | None = None  # tb_bidang.id_bidang; 0 is Umum
    dari: date | None = None
    sampai: date | None = None
    petugas: str = ""
    sort: str = "terbaru"
    page: int = 1
    errors: tuple = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args):
        """Read the query string; what cannot be read is dropped and said in `errors`."""
        errors = []

        def day(name, label):
            found, error = read_day(args.get(name), label)
            if error:
                errors.append(error)
            return found

        bidang = _category_id(args.get("bidang"))
        if bidang is False:
            errors.append("Kategori tidak dikenal: filter kategori diabaikan.")
        status = args.get("status", "")
        sort = args.get("sort", "terbaru")
        return cls(
            q=(args.get("q") or "").strip()[:100],
            status=status if status in STATUSES else "",
            bidang=bidang if bidang is not False else None,
            dari=day("dari", "awal"),
            sampai=day("sampai", "akhir"),
            petugas=(args.get("petugas") or "").strip()[:15],
            sort=sort if sort in SORTS else "terbaru",
            page=paging.page_number(args.get("page")),
            errors=tuple(errors),
        )

    def args(self, **changes):
        """The query-string arguments of this filter (with changes), for links."""
        data = replace(self, **changes)
        pairs = {
            "q": data.q,
            "status": data.status,
            "bidang": "" if data.bidang is None else str(data.bidang),
            "dari": data.dari.isoformat() if data.dari else "",
            "sampai": data.sampai.isoformat() if data.sampai else "",
            "petugas": data.petugas,
            "sort": data.sort if data.sort != "terbaru" else "",
            "page": data.page if data.page != 1 else "",
        }
        return {key: value for key, value in pairs.items() if value}


def _category_id(text):
    """'3' -> 3, '' -> None (no filter), anything else -> False (said to the user)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        return False
    return number if 0 <= number < 2**31 else False


def _conditions(flt):
    where = []
    if flt.q:
        where.append(_search(flt.q))
    if flt.status:
        where.append(Monitoring.status == flt.status)
    if flt.bidang is not None:
        where.append(Monitoring.id_bidang == flt.bidang)
    if flt.dari:
        where.append(Monitoring.tanggal >= flt.dari)
    if flt.sampai:
        where.append(Monitoring.tanggal <= flt.sampai)
    if flt.petugas:
        assigned = select(Penugasan.idm).where(
            Penugasan.id_admin == flt.petugas,
            staff.active_assignment_clause(),
        )
        where.append(Monitoring.idm.in_(assigned))
    return where


def _search(q):
    """A tracking number or a phone number is looked up by its index; anything else is
    searched in the complaint and the reporter's name."""
    words = q.split()
    id_track = parse_tracking_id(q) if len(words) == 1 else None
    if id_track:
        return Monitoring.id_track == id_track
    if q.replace(" ", "").replace("-", "").lstrip("+").isdigit():
        phone = normalize_phone(q)
        if phone:
            return Monitoring.telepon == phone
    like = f"%{q}%"
    return or_(Monitoring.pesan.like(like), Monitoring.nama_pelapor.like(like), Monitoring.telepon.like(like))


def query(flt):
    return select(Monitoring).where(*_conditions(flt)).order_by(*SORTS[flt.sort])


def _count_query(flt):
    return select(func.count()).select_from(Monitoring).where(*_conditions(flt))


def count(flt):
    return db.session.execute(_count_query(flt)).scalar_one()


@dataclass(frozen=True)
class Page(paging.Page):
    pj: dict = field(default_factory=dict)  # idm -> names of the current PJ


def page(flt, per_page=paging.DEFAULT):
    found = paging.of_query(query(flt), _count_query(flt), flt.page, per_page)
    return Page(
        **{f.name: getattr(found, f.name) for f in fields(found)}, pj=pj_names([r.idm for r in found.rows])
    )


# The list, its print page and its Excel export show each report's team, the lead first.
pj_names = staff.team_names


def age_label(report, today=None):
    """The source's "TS" column: H0 on the day of the report, H2 two days later."""
    today = today or clock.local_now().date()
    return f"H{max(0, (today - report.tanggal).days)}"


def all_admin_names():
    return dict(db.session.execute(select(Admin.id_admin, Admin.nama_admin)).all())


def rows(flt, limit):
    """The first `limit` rows of the filtered list (the print page)."""
    return db.session.execute(query(flt).limit(limit)).scalars().all()
