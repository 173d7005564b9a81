"""Admin sign-in, independent of HTTP."""

from sqlalchemy import select

from .database import run_in_transaction
from .extensions import db
from .models import Admin
from .models.people import AKTIF, HASH_PREFIXES, check_no_password

PANEL_LEVELS = ("Administrator", "Staf")
# A TBO given a password may log in to read their own assignments.
LOGIN_LEVELS = (*PANEL_LEVELS, "TBO")


def authenticate(username, password):
    """(admin, None) when the login is good, else (None, reason in Indonesian)."""
    return run_in_transaction(lambda: _authenticate(username, password))


def _authenticate(username, password):
    admin = db.session.execute(
        select(Admin).where(Admin.username == (username or "").strip())
    ).scalar_one_or_none()
    if admin is None:
        check_no_password(password or "")
        return None, "Username atau password salah."
    if not admin.check_password(password or ""):
        return None, "Username atau password salah."
    if admin.status != AKTIF:
        return None, "Akun tidak aktif. Hubungi Administrator."
    if admin.level not in LOGIN_LEVELS:
        return None, "Akun ini tidak memiliki akses ke panel."
    if not admin.password.startswith(HASH_PREFIXES):
        # Plain text from an imported installation: hashed at its first good login.
        admin.set_password(password)
    if not admin.token_sesi:
        admin.end_sessions()
    return admin, None


def end_sessions(id_admin):
    """Logout: every cookie of this account stops working, on every device."""

    def work():
        admin = db.session.get(Admin, id_admin)
        if admin is not None:
            admin.end_sessions()

    run_in_transaction(work)
