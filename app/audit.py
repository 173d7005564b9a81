"""The audit log: who did what to which row, when, with the values before and after."""

import json

from flask_login import current_user
from sqlalchemy import func, select

from . import clock
from .extensions import db
from .models import Admin, Audit
from .panel import paging


def snapshot(row, fields):
    """The values of `fields` of a row, for the before/after of an entry."""
    return {field: _plain(getattr(row, field)) for field in fields}


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def record(aksi, objek, id_objek, before=None, after=None, actor=None):
    """Add an entry in the caller's transaction."""
    if actor is None:
        actor = current_user.id_admin if current_user and current_user.is_authenticated else "sistem"
    changed_before, changed_after = before, after
    if before and after:
        keys = [key for key in after if before.get(key) != after.get(key)]
        changed_before = {key: before.get(key) for key in keys}
        changed_after = {key: after[key] for key in keys}
    db.session.add(
        Audit(
            waktu=clock.utcnow(),
            id_admin=actor,
            aksi=aksi,
            objek=objek,
            id_objek=str(id_objek),
            sebelum=json.dumps(changed_before, ensure_ascii=False) if changed_before else "",
            sesudah=json.dumps(changed_after, ensure_ascii=False) if changed_after else "",
        )
    )


def page(number, per_page):
    """(a page of entries newest first, id_admin -> name) for the audit page."""
    found = paging.of_query(
        select(Audit).order_by(Audit.id.desc()), select(func.count()).select_from(Audit), number, per_page
    )
    names = dict(db.session.execute(select(Admin.id_admin, Admin.nama_admin)).all())
    return found, names
