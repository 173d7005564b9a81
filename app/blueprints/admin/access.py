"""Login and role checks shared by every admin page."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from ...accounts import PANEL_LEVELS  # noqa: F401  (re-exported for the views)
from ...extensions import db, login_manager
from ...models import Admin
from . import bp

ADMINISTRATOR = ("Administrator",)

login_manager.login_view = "admin.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id):
    """The account of a session cookie, while its session token is still the account's."""
    id_admin, _, token = user_id.rpartition(":")
    admin = db.session.get(Admin, id_admin) if id_admin else None
    if admin is None or not admin.is_active or not admin.has_session_token(token):
        return None
    return admin


def roles_required(*levels):
    """Logged in, active, and one of these levels; otherwise the login page or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.level not in levels:
                abort(403)
            return view(*args, **kwargs)

        wrapped.levels = levels
        return wrapped

    return decorator


@bp.app_template_global()
def home_url(user):
    """The page each role starts from: a TBO has only their own jobs."""
    return url_for("admin.my_jobs") if user.level == "TBO" else url_for("admin.home")


def may_open(user, path):
    """Whether `path` (on this site) is a page this user's role may see, so a login does
    not send a TBO on to a page that only answers 403."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    levels = getattr(current_app.view_functions.get(endpoint), "levels", None)
    return levels is None or user.level in levels
