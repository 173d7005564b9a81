from flask import Blueprint

bp = Blueprint("netmon", __name__, url_prefix="/netmon")

from . import chats, filters, history, hook, hosts, routers  # noqa: E402,F401
