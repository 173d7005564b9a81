from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user

from ...panel import stats, uploads
from . import bp
from .access import PANEL_LEVELS, home_url, roles_required


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login"))
    return redirect(home_url(current_user))


@bp.get("/beranda")
@roles_required(*PANEL_LEVELS)
def home():
    return render_template("admin/dashboard.html", data=stats.dashboard())


@bp.get("/berkas/<path:path>")
@roles_required(*PANEL_LEVELS)
def upload(path):
    """A photo or PDF that came with a message (never anything else of instance/)."""
    found = uploads.stored_file(path, current_app.instance_path)
    if found is None:
        abort(404)
    return send_file(found)
