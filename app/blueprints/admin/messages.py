"""Cek WA Masuk and the outbox."""

from flask import flash, redirect, render_template, request, url_for

from ...database import run_in_transaction
from ...panel import messages
from . import bp
from .access import PANEL_LEVELS, roles_required
from .forms import ConfirmForm, TestMessageForm
from .listing import page_number, rows_per_page


@bp.get("/wa-masuk")
@roles_required(*PANEL_LEVELS)
def incoming():
    q = request.args.get("q", "").strip()[:100]
    page = messages.incoming(q, page_number(), rows_per_page())
    return render_template("admin/incoming.html", page=page, q=q)


@bp.get("/outbox")
@roles_required(*PANEL_LEVELS)
def outbox():
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    antar = request.args.get("antar", "")
    return render_template(
        "admin/outbox.html",
        page=messages.outgoing(status, q, page_number(), antar, rows_per_page()),
        q=q,
        status=status,
        antar=antar,
        states=messages.STATES,
        delivery_states=messages.DELIVERY_STATES,
        test_form=TestMessageForm(),
        confirm_form=ConfirmForm(),
    )


@bp.post("/outbox/<int:ido>/ulang")
@roles_required(*PANEL_LEVELS)
def retry(ido):
    if ConfirmForm().validate_on_submit():
        try:
            run_in_transaction(lambda: messages.retry(ido))
            flash(f"Pesan #{ido} diantrikan ulang.", "success")
        except ValueError as error:
            flash(str(error), "danger")
    return redirect(url_for("admin.outbox"))


@bp.post("/outbox/ulang-semua")
@roles_required(*PANEL_LEVELS)
def retry_all():
    if ConfirmForm().validate_on_submit():
        count = run_in_transaction(messages.retry_all_failed)
        if count:
            flash(f"{count} pesan gagal (24 jam terakhir) diantrikan ulang.", "success")
        else:
            flash("Tidak ada pesan gagal dalam 24 jam terakhir.", "info")
    return redirect(url_for("admin.outbox"))


@bp.post("/outbox/uji")
@roles_required(*PANEL_LEVELS)
def send_test():
    form = TestMessageForm()
    if form.validate_on_submit():
        try:
            row = run_in_transaction(lambda: messages.send_test(form.tujuan.data))
            flash(f"Pesan uji #{row} diantrikan ke {form.tujuan.data}.", "success")
        except ValueError as error:
            flash(str(error), "danger")
    else:
        flash("Nomor tujuan wajib diisi.", "danger")
    return redirect(url_for("admin.outbox"))
