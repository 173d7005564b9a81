from flask import current_app, redirect, render_template, url_for
from sqlalchemy import func, select

from ...extensions import db
from ...models import Monitoring, Outbox, PesanMasuk
from . import bp
from .access import PANEL_LEVELS, roles_required

RECENT = 20


@bp.get("/")
def index():
    return redirect(url_for("admin.home"))


@bp.get("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}


@bp.get("/beranda")
@roles_required(*PANEL_LEVELS)
def home():
    counts = dict(
        db.session.execute(select(Monitoring.status, func.count()).group_by(Monitoring.status)).all()
    )
    incoming = db.session.execute(select(PesanMasuk).order_by(PesanMasuk.idn.desc()).limit(RECENT)).scalars()
    outgoing = db.session.execute(select(Outbox).order_by(Outbox.ido.desc()).limit(RECENT)).scalars()
    return render_template(
        "admin/home.html",
        counts=counts,
        incoming=incoming,
        outgoing=outgoing,
        provider=current_app.config["WA_PROVIDER"],
    )
