from flask import abort, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from sqlalchemy import select

from ...extensions import db
from ...panel import stats
from . import bp
from .access import PANEL_LEVELS, home_url, roles_required


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login"))
    return redirect(home_url(current_user))


@bp.get("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}


@bp.get("/beranda")
@roles_required(*PANEL_LEVELS)
def home():
    return render_template("admin/dashboard.html", data=stats.dashboard())


@bp.get("/berkas/<path:path>")
@roles_required(*PANEL_LEVELS)
def upload(path):
    """A photo or PDF kept under instance/uploads (never anything else of instance/)."""
    if not path.startswith("uploads/"):
        abort(404)
    return send_from_directory(current_app.instance_path, path)
