"""Routers in the panel: everyone in the panel sees them; the Administrator manages them."""

from flask import abort, flash, redirect, render_template, url_for

from ...database import run_in_transaction
from ...netmon import logins, passwords, router_clocks
from ...netmon import routers as netmon_routers
from ..admin.access import PANEL_LEVELS, roles_required
from . import bp
from .forms import RouterForm

ADMINISTRATOR = "Administrator"


@bp.get("/router")
@roles_required(*PANEL_LEVELS)
def routers():
    rows = netmon_routers.all_routers()
    clocks = {r.id_router: router_clocks.shown(r) for r in rows}
    return render_template("netmon/routers.html", routers=rows, clocks=clocks, login_attacks=logins.recent())


@bp.route("/router/baru", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def router_new():
    form = RouterForm()
    if form.validate_on_submit():
        error = _save(None, form)
        if error is None:
            flash(f"Router {form.nama.data} ditambahkan.", "success")
            return redirect(url_for("netmon.routers"))
        form.nama.errors.append(error)
    return render_template("netmon/router_form.html", form=form, router=None)


@bp.route("/router/<int:id_router>", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def router_edit(id_router):
    router = netmon_routers.get(id_router) or abort(404)
    form = RouterForm(obj=router)
    if not form.is_submitted():
        form.password.data = passwords.MASK if router.password else ""
    if form.validate_on_submit():
        error = _save(id_router, form)
        if error is None:
            flash(f"Router {form.nama.data} disimpan.", "success")
            return redirect(url_for("netmon.routers"))
        form.nama.errors.append(error)
    return render_template("netmon/router_form.html", form=form, router=router)


def _save(id_router, form):
    return run_in_transaction(
        lambda: netmon_routers.save(
            id_router,
            form.nama.data,
            form.host.data,
            form.port.data,
            form.username.data,
            form.new_password(),
            form.tls.data,
            form.aktif.data,
        )
    )


@bp.post("/router/<int:id_router>/tes")
@roles_required(*PANEL_LEVELS)
def router_test(id_router):
    router = netmon_routers.get(id_router) or abort(404)
    ok, message = netmon_routers.test_connection(router)
    flash(f"{router.nama}: {message}", "success" if ok else "danger")
    return redirect(url_for("netmon.routers"))


@bp.post("/router/<int:id_router>/hapus")
@roles_required(ADMINISTRATOR)
def router_delete(id_router):
    name = run_in_transaction(lambda: netmon_routers.delete(id_router))
    if name is None:
        abort(404)
    flash(f"Router {name} dihapus beserta host dan riwayatnya.", "info")
    return redirect(url_for("netmon.routers"))
