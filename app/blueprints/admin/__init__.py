from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import (  # noqa: E402,F401
    accounts,
    auth,
    banner,
    categories,
    dashboard,
    exports,
    health,
    listing,
    messages,
    my_account,
    pegawai,
    printing,
    reports,
    review,
    settings,
    tbo,
)
