"""Watched hosts with their live state; per-host settings and built-in checks."""

from datetime import UTC

from flask import abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ... import clock
from ...database import run_in_transaction
from ...extensions import db
from ...models import Host, Router
from ...netmon import alerts, report, service
from ..admin.access import PANEL_LEVELS, roles_required
from . import bp
from .forms import BuiltinHostForm, HostForm
from .routers import ADMINISTRATOR


@bp.get("/")
@roles_required(*PANEL_LEVELS)
def hosts():
    rows = (
        db.session.execute(
            select(Host)
            .where(Host.aktif)
            .order_by(Host.status.desc(), Host.id_router, Host.komentar, Host.host)
        )
        .scalars()
        .all()
    )
    uptime = {h.id_host: values[0] for h, values in report.uptime_table()}
    counts = {s: sum(1 for h in rows if h.status == s) for s in ("up", "down", "unknown")}
    routers = db.session.execute(select(Router).order_by(Router.nama)).scalars().all()
    refresh = max(int(current_app.config["NETMON_INTERVAL"]), 5)
    return render_template(
        "netmon/hosts.html",
        hosts=rows,
        uptime=uptime,
        counts=counts,
        routers=routers,
        refresh=refresh,
        now=clock.local_now(),
        form=BuiltinHostForm(),
    )


def _local(naive_utc):
    return alerts.to_local(naive_utc).replace(tzinfo=None) if naive_utc else None


def _utc(local_naive):
    if local_naive is None:
        return None
    return local_naive.replace(tzinfo=clock.zone()).astimezone(UTC).replace(tzinfo=None)


@bp.route("/host/<int:id_host>", methods=["GET", "POST"])
@roles_required(ADMINISTRATOR)
def host_edit(id_host):
    host = db.session.get(Host, id_host) or abort(404)
    form = HostForm(obj=host)
    others = db.session.execute(
        select(Host).where(Host.aktif, Host.id_host != id_host).order_by(Host.komentar)
    ).scalars()
    form.id_induk.choices = [SelectChoice(0, "— tanpa induk —")] + [
        SelectChoice(h.id_host, f"{h.label} ({h.host})") for h in others
    ]
    if not form.is_submitted():
        form.id_induk.data = host.id_induk or 0
        form.pemeliharaan_mulai.data = _local(host.pemeliharaan_mulai)
        form.pemeliharaan_selesai.data = _local(host.pemeliharaan_selesai)
    if form.validate_on_submit():
        run_in_transaction(lambda: _save(id_host, form))
        flash("Pengaturan host disimpan.", "success")
        return redirect(url_for("netmon.hosts"))
    return render_template("netmon/host_form.html", form=form, host=host)


def _save(id_host, form):
    host = db.session.get(Host, id_host)
    if host.sumber != "netwatch":  # a Netwatch host takes its comment from the router
        host.komentar = form.komentar.data or ""
    host.id_induk = form.id_induk.data or None
    host.pemeliharaan_mulai = _utc(form.pemeliharaan_mulai.data)
    host.pemeliharaan_selesai = _utc(form.pemeliharaan_selesai.data)
    host.ulang_menit = form.ulang_menit.data or 0


@bp.post("/host/baru")
@roles_required(ADMINISTRATOR)
def host_new():
    form = BuiltinHostForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("netmon.hosts"))
    port = form.port.data if form.sumber.data == "tcp" else 0

    def work():
        exists = db.session.execute(
            select(Host).where(
                Host.id_router.is_(None),
                Host.sumber == form.sumber.data,
                Host.host == form.host.data,
                Host.port == port,
            )
        ).scalar_one_or_none()
        if exists is not None:
            exists.aktif = True
            return
        service.new_host(None, form.sumber.data, form.host.data, port, form.komentar.data, clock.utcnow())

    run_in_transaction(work)
    flash(f"Host {form.host.data} dipantau dengan cek bawaan.", "success")
    return redirect(url_for("netmon.hosts"))


@bp.post("/host/<int:id_host>/hapus")
@roles_required(ADMINISTRATOR)
def host_delete(id_host):
    def work():
        host = db.session.get(Host, id_host) or abort(404)
        if host.sumber == "netwatch":
            abort(400)  # a Netwatch host is removed on the router
        db.session.delete(host)

    run_in_transaction(work)
    flash("Host dihapus beserta riwayatnya.", "info")
    return redirect(url_for("netmon.hosts"))
