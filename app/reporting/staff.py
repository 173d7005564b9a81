"""Admins and technicians as the reporting side sees them: found by phone, assignable."""

from sqlalchemy import select

from ..extensions import db
from ..models import Admin, Penugasan
from ..models.people import AKTIF

# tb_penugasan.status values. An older installation may have written others, in any case;
# everything not ended counts as an assignment.
DITUGASKAN = "Penugasan"
DIKERJAKAN = "Proses"
SELESAI = "Selesai"
DIALIHKAN = "Dialihkan"
DIBATALKAN = "Dibatalkan"
ENDED = {DIALIHKAN.lower(), DIBATALKAN.lower()}


def active_assignment_clause():
    """SQL for "this tb_penugasan row still counts". Without lower(), so an index on
    status can serve it; the ended statuses are ours, written in these two spellings."""
    spellings = [
        word for status in (DIALIHKAN, DIBATALKAN) for word in (status, status.lower(), status.upper())
    ]
    return Penugasan.status.notin_(spellings)


ASSIGNABLE_LEVELS = ("TBO", "Staf")


def by_phone(telepon):
    """The tb_admin row with this number, an active one first; None when there is none."""
    return db.session.execute(
        select(Admin).where(Admin.telepon == telepon).order_by(Admin.status != AKTIF, Admin.id_admin).limit(1)
    ).scalar_one_or_none()


def by_key(key):
    """A tb_admin row by id_admin or by username (as the commands take people), or None."""
    key = (key or "").strip()
    if not key:
        return None
    return (
        db.session.get(Admin, key)
        or db.session.execute(
            select(Admin)
            .where(Admin.username == key)
            .order_by(Admin.status != AKTIF, Admin.id_admin)
            .limit(1)
        ).scalar_one_or_none()
    )


def assignable():
    """Active TBO and Staf, TBO first: who can be made PJ of a report."""
    return (
        db.session.execute(
            select(Admin)
            .where(Admin.status == AKTIF, Admin.level.in_(ASSIGNABLE_LEVELS))
            .order_by(Admin.level != "TBO", Admin.nama_admin)
        )
        .scalars()
        .all()
    )


def is_active_assignment(penugasan):
    return (penugasan.status or "").strip().lower() not in ENDED


def assignments_of(report):
    """Every tb_penugasan row of the report, matched by idm or, for old rows, id_track."""
    return (
        db.session.execute(
            select(Penugasan)
            .where((Penugasan.idm == report.idm) | (Penugasan.id_track == report.id_track))
            .order_by(Penugasan.idp)
        )
        .scalars()
        .all()
    )


def active_assignments(report):
    return [p for p in assignments_of(report) if is_active_assignment(p)]


def is_assigned(report, id_admin):
    return any(p.id_admin == id_admin for p in active_assignments(report))


def lead_idp(report):
    """The lead's assignment (the earliest active one), or None without a PJ."""
    active = active_assignments(report)
    return active[0].idp if active else None


def team_of(report):
    """The report's PJ as Admin rows, the lead (the earliest active assignment) first."""
    team = {}
    for penugasan in active_assignments(report):
        if penugasan.id_admin not in team:
            team[penugasan.id_admin] = db.session.get(Admin, penugasan.id_admin)
    return [admin for admin in team.values() if admin is not None]


def team_names(idms):
    """idm -> the names of its active PJ, the lead first, for a page of reports."""
    if not idms:
        return {}
    found = db.session.execute(
        select(Penugasan.idm, Penugasan.status, Admin.nama_admin)
        .join(Admin, Admin.id_admin == Penugasan.id_admin)
        .where(Penugasan.idm.in_(idms))
        .order_by(Penugasan.idp)
    ).all()
    names = {}
    for idm, status, nama in found:
        if (status or "").lower() not in ENDED and nama not in names.get(idm, []):
            names.setdefault(idm, []).append(nama)
    return names
