from flask import Blueprint

bp = Blueprint("webhook", __name__, url_prefix="/webhook")

from . import routes  # noqa: E402,F401
