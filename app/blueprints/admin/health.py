"""For monitors, without login: /healthz (the process answers and can reach the database,
as cheap as can be) and /readyz (the installation is doing its work; see app/readiness.py)."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ... import MIGRATIONS_DIR, readiness
from ...extensions import db
from . import bp

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(select(1))
    except SQLAlchemyError as error:
        # A monitor reads JSON, not the panel's error page; the log names the error's kind
        # only (its message may hold the host, the user or the database).
        db.session.rollback()
        current_app.logger.warning(
            "/healthz: basis data tidak dapat dipakai (%s)", readiness.error_kind(error)
        )
        return {"status": "fail"}, 503, NO_STORE
    return {"status": "ok"}, 200, NO_STORE


@bp.get("/readyz")
def readyz():
    found = readiness.checks(current_app._get_current_object(), MIGRATIONS_DIR)
    ready = all(check.ok for check in found.values())
    body = {
        "status": "ok" if ready else "fail",
        "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in found.items()},
    }
    return body, 200 if ready else 503, NO_STORE
