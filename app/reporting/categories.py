"""A report's category (bidang): chosen from its text when it comes in, named for the
panel, and its team. How the text is matched is app/reporting/matching.py."""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from ..database import core_execute
from ..extensions import db
from ..models import Admin, Bidang, BidangPetugas
from ..models.categories import UMUM, UMUM_ID
from ..models.people import AKTIF
from . import matching, staff


@dataclass(frozen=True)
class Choice:
    """The category a new report was filed under, with what routing needs to know."""

    id_bidang: int
    nama: str
    otomatis: bool = False
    satu: bool = False


UMUM_CHOICE = Choice(UMUM_ID, UMUM)

# Built once: every new report runs it (see service.create_report).
_RULES = select(Bidang.id_bidang, Bidang.nama, Bidang.kata, Bidang.otomatis, Bidang.satu)


@lru_cache(maxsize=8)
def _compiled(rows):
    """The matcher's rules for these tb_bidang rows; the keywords are parsed once per
    change of the table, not once per report."""
    return tuple(
        matching.rule(Choice(id_bidang, nama, bool(otomatis), bool(satu)), nama, kata)
        for id_bidang, nama, kata, otomatis, satu in rows
    )


def choose(text):
    """The Choice for a new report's text: its most specific category, else Umum."""
    rows = tuple(tuple(row) for row in core_execute(_RULES))
    found = matching.best(text, _compiled(rows)) if rows else None
    return found.key if found else UMUM_CHOICE


class Names(dict):
    """id_bidang -> name; an id without a row (Umum, or a category removed by hand from
    the database) reads as Umum."""

    def __missing__(self, id_bidang):
        return UMUM


def names():
    """The names of every category, for pages that show many reports."""
    return Names(db.session.execute(select(Bidang.id_bidang, Bidang.nama)).all())


def name_of(id_bidang):
    if id_bidang == UMUM_ID:
        return UMUM
    row = db.session.get(Bidang, id_bidang)
    # A report of a category removed by hand from the database is Umum in effect.
    return row.nama if row is not None else UMUM


def options():
    """[(id_bidang, name)]: Umum first, then the categories by name (filters, forms)."""
    rows = db.session.execute(select(Bidang.id_bidang, Bidang.nama).order_by(Bidang.nama)).all()
    return [(UMUM_ID, UMUM)] + [tuple(row) for row in rows]


def exists(id_bidang):
    return id_bidang == UMUM_ID or db.session.get(Bidang, id_bidang) is not None


def members(id_bidang):
    """The category's team in its order (the first leads), whatever their state now."""
    return (
        db.session.execute(
            select(Admin)
            .join(BidangPetugas, BidangPetugas.id_admin == Admin.id_admin)
            .where(BidangPetugas.id_bidang == id_bidang)
            .order_by(BidangPetugas.urutan, Admin.id_admin)
        )
        .scalars()
        .all()
    )


def may_serve(admin):
    """Whether a team member can be assigned now (an active TBO or Staf)."""
    return admin.status == AKTIF and admin.level in staff.ASSIGNABLE_LEVELS


def active_members(id_bidang):
    return [admin for admin in members(id_bidang) if may_serve(admin)]
