"""Tracking numbers: {PREFIX}{YY}{MM}{NNN}, a sequence that restarts each month.

The counter row in tb_nomor is incremented inside the transaction that stores the report,
so the row lock (InnoDB) or the write lock (SQLite, BEGIN IMMEDIATE) serialises concurrent
reports and a rolled-back report gives its number back: unique and gap-free.
"""

import re

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from ..database import core_execute
from ..extensions import db
from ..models import Monitoring, Nomor


def month_key(prefix, moment):
    return f"{prefix}{moment:%y%m}"


def format_number(key, sequence):
    return f"{key}{sequence:03d}"


def _highest_existing(key):
    """The highest sequence already used for this month, e.g. by an imported installation."""
    rows = db.session.execute(
        select(Monitoring.id_track).where(Monitoring.id_track.like(f"{key}%"))
    ).scalars()
    pattern = re.compile(rf"^{re.escape(key)}(\d+)$", re.IGNORECASE)
    return max((int(m.group(1)) for m in map(pattern.match, rows) if m), default=0)


# Built once: constructing statements costs more CPU than the round trip (see
# inbound._INSERT_IN), and this runs while the counter row is locked.
_BUMP = update(Nomor).where(Nomor.kunci == bindparam("key"))
_BUMP_RETURNING = _BUMP.values(nomor=Nomor.nomor + 1).returning(Nomor.nomor)
_BUMP_LAST_INSERT_ID = _BUMP.values(nomor=func.last_insert_id(Nomor.nomor + 1))
_BUMP_PLAIN = _BUMP.values(nomor=Nomor.nomor + 1)


def _bump(key):
    """Add one to the month's counter and return the new value (None: no counter yet).

    One statement where the database allows it, since the counter row stays locked until
    the report's transaction commits: SQLite returns the value (RETURNING), MySQL hands it
    back through LAST_INSERT_ID(expr); others read it back.
    """
    params = {"key": key}
    dialect = db.session.get_bind().dialect
    if dialect.name == "sqlite":
        return core_execute(_BUMP_RETURNING, params).scalar_one_or_none()
    if dialect.name in ("mysql", "mariadb"):
        bumped = core_execute(_BUMP_LAST_INSERT_ID, params)
        return bumped.lastrowid if bumped.rowcount == 1 else None
    if core_execute(_BUMP_PLAIN, params).rowcount != 1:
        return None
    return db.session.execute(select(Nomor.nomor).where(Nomor.kunci == key)).scalar_one()


def next_tracking_number(prefix, moment):
    key = month_key(prefix, moment)
    while True:
        sequence = _bump(key)
        if sequence is not None:
            return format_number(key, sequence)
        # First report of the month: create the counter. Two first reports at once race
        # here; the loser's insert fails on the primary key and it bumps the winner's row.
        try:
            with db.session.begin_nested():
                db.session.add(Nomor(kunci=key, nomor=_highest_existing(key) + 1))
            return format_number(key, db.session.get(Nomor, key).nomor)
        except IntegrityError:
            continue
