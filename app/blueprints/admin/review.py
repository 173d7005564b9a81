"""Validasi: the TBO messages waiting for review (REVIEW_TBO_REPORTS), approved or sent
back from the list or from the report's page."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...accounts import PANEL_LEVELS
from ...database import run_in_transaction
from ...panel import report_actions, report_list
from ...reporting import lifecycle, review, service
from . import bp
from .access import roles_required
from .forms import ReviewForm


@bp.app_context_processor
def review_badge():
    # Only the people who validate see the menu item, and only they pay for its COUNT.
    if not getattr(current_user, "is_authenticated", False) or current_user.level not in PANEL_LEVELS:
        return {}
    return {"review_waiting": review.waiting_count()}


@bp.get("/validasi")
@roles_required(*PANEL_LEVELS)
def review_list():
    return render_template(
        "admin/review.html",
        items=review.waiting(),
        names=report_list.all_admin_names(),
        enabled=review.enabled(),
        kind_of=review.kind_of,
    )


def _decide(id_track, idn, action, success):
    form = ReviewForm()
    back = (
        url_for("admin.review_list")
        if form.kembali.data == "daftar"
        else url_for("admin.report", id_track=id_track)
    )
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(back)

    def work():
        report = service.find_report(id_track)
        if report is None:
            raise lifecycle.LifecycleError(f"Laporan {id_track} tidak ditemukan.")
        return action(report, form)

    try:
        run_in_transaction(work)
        flash(success, "success")
    except lifecycle.LifecycleError as error:
        flash(str(error), "danger")
    return redirect(back)


@bp.post("/laporan/<id_track>/validasi/<int:idn>/setujui")
@roles_required(*PANEL_LEVELS)
def review_approve(id_track, idn):
    return _decide(
        id_track,
        idn,
        lambda report, form: report_actions.approve_review(report, idn, form.pesan.data),
        f"Laporan petugas {id_track} disetujui dan diteruskan kepada pelapor; petugas diberi tahu.",
    )


@bp.post("/laporan/<id_track>/validasi/<int:idn>/kembalikan")
@roles_required(*PANEL_LEVELS)
def review_send_back(id_track, idn):
    return _decide(
        id_track,
        idn,
        lambda report, form: report_actions.send_back_review(report, idn, form.catatan.data),
        f"Laporan petugas {id_track} dikembalikan kepada petugas dengan catatan.",
    )
