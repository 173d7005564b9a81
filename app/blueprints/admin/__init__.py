from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import (  # noqa: E402,F401
    accounts,
    auth,
    banner,
    dashboard,
    exports,
    health,
    messages,
    pegawai,
    printing,
    reports,
    review,
    tbo,
)
