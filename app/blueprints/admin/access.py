"""Login and role checks shared by every admin page."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ...accounts import PANEL_LEVELS  # noqa: F401  (re-exported for the views)
from ...extensions import db, login_manager
from ...models import Admin

ADMINISTRATOR = ("Administrator",)

login_manager.login_view = "admin.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(id_admin):
    admin = db.session.get(Admin, id_admin)
    return admin if admin is not None and admin.is_active else None


def roles_required(*levels):
    """Logged in, active, and one of these levels; otherwise the login page or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.level not in levels:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
