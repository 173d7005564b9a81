"""Watched hosts with their live state; per-host settings and built-in checks."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from ... import clock
from ...database import run_in_transaction
from ...netmon import hosts as netmon_hosts
from ...netmon import report
from ...netmon import routers as netmon_routers
from ..admin.access import PANEL_LEVELS, roles_required
from . import bp
from .forms import BuiltinHostForm, HostForm
from .routers import ADMINISTRATOR


@bp.get("/")
@roles_required(*PANEL_LEVELS)
def hosts():
    rows = netmon_hosts.for_page()
    uptime = {h.id_host: values[0] for h, values in report.uptime_table((report.DAY,))}
    shown = {h.id_host: netmon_hosts.shown_status(h) for h in rows}
    lost = {h.id_host for h in rows if netmon_hosts.router_lost(h)}
    counts = {s: sum(1 for state in shown.values() if state == s) for s in ("up", "down", "unknown")}
    refresh = max(int(current_app.config["NETMON_INTERVAL"]), 5)
    return render_template(
        "netmon/hosts.html",
        hosts=rows,
        shown=shown,
        lost=lost,
        uptime=uptime,
        counts=counts,
        routers=netmon_routers.all_routers(),
        refresh=refresh,
        now=clock.local_now(),
        form=BuiltinHostForm(),
    )


@bp.route("/host/<int:id_host>", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def host_edit(id_host):
    host = netmon_hosts.get(id_host) or abort(404)
    form = HostForm(obj=host)
    form.id_induk.choices = [SelectChoice(0, "— tanpa induk —")] + [
        SelectChoice(h.id_host, f"{h.label} ({h.host})") for h in netmon_hosts.by_comment(except_id=id_host)
    ]
    if not form.is_submitted():
        form.id_induk.data = host.id_induk or 0
        form.pemeliharaan_mulai.data = netmon_hosts.as_local(host.pemeliharaan_mulai)
        form.pemeliharaan_selesai.data = netmon_hosts.as_local(host.pemeliharaan_selesai)
    if form.validate_on_submit():
        run_in_transaction(
            lambda: netmon_hosts.save_settings(
                id_host,
                form.komentar.data,
                form.id_induk.data,
                form.pemeliharaan_mulai.data,
                form.pemeliharaan_selesai.data,
                form.ulang_menit.data,
            )
        )
        flash("Pengaturan host disimpan.", "success")
        return redirect(url_for("netmon.hosts"))
    return render_template("netmon/host_form.html", form=form, host=host)


@bp.post("/host/baru")
@roles_required(ADMINISTRATOR)
def host_new():
    form = BuiltinHostForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("netmon.hosts"))
    run_in_transaction(
        lambda: netmon_hosts.add_builtin(form.sumber.data, form.host.data, form.port.data, form.komentar.data)
    )
    flash(f"Host {form.host.data} dipantau dengan cek bawaan.", "success")
    return redirect(url_for("netmon.hosts"))


@bp.post("/host/<int:id_host>/hapus")
@roles_required(ADMINISTRATOR)
def host_delete(id_host):
    try:
        deleted = run_in_transaction(lambda: netmon_hosts.delete(id_host))
    except netmon_hosts.OnRouter:
        abort(400)
    if not deleted:
        abort(404)
    flash("Host dihapus beserta riwayatnya.", "info")
    return redirect(url_for("netmon.hosts"))
