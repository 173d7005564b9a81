from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import auth, home  # noqa: E402,F401
