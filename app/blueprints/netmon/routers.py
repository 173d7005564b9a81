"""Routers in the panel: everyone in the panel sees them; the Administrator manages them."""

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ...database import run_in_transaction
from ...extensions import db
from ...models import Router
from ...netmon import passwords
from ...netmon import routers as netmon_routers
from ..admin.access import PANEL_LEVELS, roles_required
from . import bp
from .forms import RouterForm

ADMINISTRATOR = "Administrator"


@bp.get("/router")
@roles_required(*PANEL_LEVELS)
def routers():
    rows = db.session.execute(select(Router).order_by(Router.nama)).scalars().all()
    return render_template("netmon/routers.html", routers=rows)


@bp.route("/router/baru", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def router_new():
    form = RouterForm()
    if form.validate_on_submit():
        error = run_in_transaction(lambda: _save(None, form))
        if error is None:
            flash(f"Router {form.nama.data} ditambahkan.", "success")
            return redirect(url_for("netmon.routers"))
        form.nama.errors.append(error)
    return render_template("netmon/router_form.html", form=form, router=None)


@bp.route("/router/<int:id_router>", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def router_edit(id_router):
    router = db.session.get(Router, id_router) or abort(404)
    form = RouterForm(obj=router)
    if not form.is_submitted():
        form.password.data = passwords.MASK if router.password else ""
    if form.validate_on_submit():
        error = run_in_transaction(lambda: _save(id_router, form))
        if error is None:
            flash(f"Router {form.nama.data} disimpan.", "success")
            return redirect(url_for("netmon.routers"))
        form.nama.errors.append(error)
    return render_template("netmon/router_form.html", form=form, router=router)


def _save(id_router, form):
    clash = db.session.execute(select(Router).where(Router.nama == form.nama.data)).scalar_one_or_none()
    if clash is not None and clash.id_router != id_router:
        return "Nama router sudah dipakai"
    if id_router is None:
        netmon_routers.new_router(
            form.nama.data,
            form.host.data,
            form.port.data,
            form.username.data,
            form.new_password() or "",
            form.tls.data,
        )
        return None
    router = db.session.get(Router, id_router)
    for field in ("nama", "host", "port", "username", "tls", "aktif"):
        setattr(router, field, getattr(form, field).data)
    if form.new_password() is not None:
        router.password = passwords.seal(form.new_password())
    return None


@bp.post("/router/<int:id_router>/tes")
@roles_required(*PANEL_LEVELS)
def router_test(id_router):
    router = db.session.get(Router, id_router) or abort(404)
    ok, message = netmon_routers.test_connection(router)
    flash(f"{router.nama}: {message}", "success" if ok else "danger")
    return redirect(url_for("netmon.routers"))


@bp.post("/router/<int:id_router>/hapus")
@roles_required(ADMINISTRATOR)
def router_delete(id_router):
    def work():
        router = db.session.get(Router, id_router) or abort(404)
        name = router.nama
        db.session.delete(router)
        return name

    flash(f"Router {run_in_transaction(work)} dihapus beserta host dan riwayatnya.", "info")
    return redirect(url_for("netmon.routers"))
