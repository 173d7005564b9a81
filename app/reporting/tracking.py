"""Tracking numbers: {PREFIX}{YY}{MM}{NNN}, a sequence that restarts each month.

The counter row in tb_nomor is incremented inside the transaction that stores the report,
so the row lock (InnoDB) or the write lock (SQLite, BEGIN IMMEDIATE) serialises concurrent
reports and a rolled-back report gives its number back: unique and gap-free.
"""

import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

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


def next_tracking_number(prefix, moment):
    key = month_key(prefix, moment)
    while True:
        bumped = db.session.execute(update(Nomor).where(Nomor.kunci == key).values(nomor=Nomor.nomor + 1))
        if bumped.rowcount == 1:
            sequence = db.session.execute(select(Nomor.nomor).where(Nomor.kunci == key)).scalar_one()
            return format_number(key, sequence)
        # First report of the month: create the counter. Two first reports at once race
        # here; the loser's insert fails on the primary key and it bumps the winner's row.
        try:
            with db.session.begin_nested():
                db.session.add(Nomor(kunci=key, nomor=_highest_existing(key) + 1))
            return format_number(key, db.session.get(Nomor, key).nomor)
        except IntegrityError:
            continue
