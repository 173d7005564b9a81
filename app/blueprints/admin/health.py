"""For monitors, without login: /healthz (the process answers and can reach the database,
as cheap as can be) and /readyz (the installation is doing its work; see app/readiness.py)."""

from flask import current_app

from ... import MIGRATIONS_DIR, readiness
from . import bp

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    # A monitor reads JSON, not the panel's error page.
    if readiness.alive(current_app.logger):
        return {"status": "ok"}, 200, NO_STORE
    return {"status": "fail"}, 503, NO_STORE


@bp.get("/readyz")
def readyz():
    found = readiness.checks(current_app._get_current_object(), MIGRATIONS_DIR)
    ready = all(check.ok for check in found.values())
    body = {
        "status": "ok" if ready else "fail",
        "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in found.items()},
    }
    return body, 200 if ready else 503, NO_STORE
