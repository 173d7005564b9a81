"""Data Monitoring: the reports list and a report's page with its actions."""

from flask import abort, flash, redirect, render_template, request, url_for

from ...database import run_in_transaction
from ...panel import conversation, report_actions, report_list
from ...panel.directory import Invalid
from ...reporting import categories, lifecycle, review, routing, service, staff
from . import bp
from .access import PANEL_LEVELS, roles_required
from .forms import AssignForm, ConfirmForm, NoteForm, ProgressForm, ReportCategoryForm, StatusForm
from .listing import rows_per_page


def filter_from_request():
    flt = report_list.ReportFilter.from_args(request.args)
    for error in flt.errors:
        flash(error, "warning")
    return flt


@bp.get("/laporan")
@roles_required(*PANEL_LEVELS)
def reports():
    flt = filter_from_request()
    return render_template(
        "admin/reports.html",
        flt=flt,
        page=report_list.page(flt, rows_per_page()),
        statuses=lifecycle.STATUSES,
        categories=categories.options(),
        category_names=categories.names(),
        petugas=staff.assignable(),
        age=report_list.age_label,
    )


def _report(id_track):
    report = service.find_report(id_track)
    if report is None:
        abort(404)
    return report


@bp.get("/laporan/<id_track>")
@roles_required(*PANEL_LEVELS)
def report(id_track):
    report = _report(id_track)
    if report.tag != 1:
        run_in_transaction(lambda: report_actions.mark_read(_report(id_track)))
    assign_form = AssignForm()
    people = [(a.id_admin, f"{a.nama_admin} ({a.id_admin}, {a.level})") for a in staff.assignable()]
    on_team = {p.id_admin for p in staff.active_assignments(report)}
    assign_form.petugas.choices = [choice for choice in people if choice[0] not in on_team]
    assign_form.ketua.choices = [("", "-- yang pertama dicentang --")] + people
    lead_idp = staff.lead_idp(report)
    suggested = _suggest(report, assign_form) if lead_idp is None else []
    category_form = ReportCategoryForm(bidang=report.id_bidang)
    category_form.bidang.choices = categories.options()
    return render_template(
        "admin/report.html",
        report=report,
        category=categories.name_of(report.id_bidang),
        category_form=category_form,
        assignments=staff.assignments_of(report),
        lead_idp=lead_idp,
        suggested=suggested,
        names=report_list.all_admin_names(),
        tracks=service.tracks_of(report),
        conversation=conversation.of_report(report),
        kerja=report_actions.technician_messages(report),
        waiting=review.waiting_of(report),
        kind_of=review.kind_of,
        assign_form=assign_form,
        progress_form=ProgressForm(),
        note_form=NoteForm(),
        status_form=StatusForm(),
        confirm_form=ConfirmForm(),
        closed=lifecycle.is_closed(report),
        is_open=lambda penugasan: lifecycle.assignment_is_open(report, penugasan),
        age=report_list.age_label,
    )


def _suggest(report, assign_form):
    """A report without a PJ: its category's team (or its least busy member) ticked in
    the assignment form. Returns their id_admin."""
    _, people = routing.suggestion(report)
    chosen = [admin.id_admin for admin in people]
    if chosen:
        assign_form.petugas.data = chosen
        assign_form.ketua.data = chosen[0]
    return chosen


def _act(id_track, action, success):
    """Run one change to a report; a refusal is shown, nothing half-done is kept.
    `success` is the message, or makes it from what the action returned."""

    try:
        result = run_in_transaction(lambda: action(_report(id_track)))
        flash(success(result) if callable(success) else success, "success")
    except (lifecycle.LifecycleError, Invalid) as error:
        flash(str(error), "danger")
    return redirect(url_for("admin.report", id_track=id_track))


def _invalid(form, id_track):
    for errors in form.errors.values():
        for error in errors:
            flash(error, "danger")
    return redirect(url_for("admin.report", id_track=id_track))


@bp.post("/laporan/<id_track>/tugaskan")
@roles_required(*PANEL_LEVELS)
def assign(id_track):
    form = AssignForm()
    if not form.validate_on_submit():
        return _invalid(form, id_track)
    return _act(
        id_track,
        lambda r: report_actions.assign(r, form.members(), form.catatan.data or "").summary(),
        lambda summary: f"Petugas ditugaskan; pesan WhatsApp diantrikan. {summary}",
    )


@bp.post("/laporan/<id_track>/kategori")
@roles_required(*PANEL_LEVELS)
def change_category(id_track):
    form = ReportCategoryForm()
    if not form.validate_on_submit():
        flash("Kategori tidak dikenal.", "danger")
        return redirect(url_for("admin.report", id_track=id_track))
    return _act(
        id_track, lambda r: report_actions.set_category(r, form.bidang.data), "Kategori laporan diubah."
    )


@bp.post("/laporan/<id_track>/penugasan/<int:idp>/ubah")
@roles_required(*PANEL_LEVELS)
def edit_assignment(id_track, idp):
    form = NoteForm()
    if not form.validate_on_submit():
        return _invalid(form, id_track)
    return _act(
        id_track,
        lambda r: report_actions.edit_assignment(r, idp, form.catatan.data),
        "Catatan penugasan diubah.",
    )


@bp.post("/laporan/<id_track>/penugasan/<int:idp>/hapus")
@roles_required(*PANEL_LEVELS)
def remove_assignment(id_track, idp):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(id_track, lambda r: report_actions.remove_assignment(r, idp), "Penugasan dibatalkan.")


@bp.post("/laporan/<id_track>/progres")
@roles_required(*PANEL_LEVELS)
def add_progress(id_track):
    form = ProgressForm()
    if not form.validate_on_submit():
        return _invalid(form, id_track)
    message = "Progres ditambahkan" + ("; pesan WhatsApp diantrikan." if form.kirim.data else ".")
    return _act(
        id_track, lambda r: report_actions.add_progress(r, form.catatan.data, form.kirim.data), message
    )


@bp.post("/laporan/<id_track>/progres/<int:track_id>/ubah")
@roles_required(*PANEL_LEVELS)
def edit_progress(id_track, track_id):
    form = NoteForm()
    if not form.validate_on_submit():
        return _invalid(form, id_track)
    return _act(
        id_track, lambda r: report_actions.edit_progress(r, track_id, form.catatan.data), "Progres diubah."
    )


@bp.post("/laporan/<id_track>/progres/<int:track_id>/hapus")
@roles_required(*PANEL_LEVELS)
def delete_progress(id_track, track_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(id_track, lambda r: report_actions.delete_progress(r, track_id), "Progres dihapus.")


@bp.post("/laporan/<id_track>/status")
@roles_required(*PANEL_LEVELS)
def change_status(id_track):
    form = StatusForm()
    if not form.validate_on_submit():
        return _invalid(form, id_track)
    reason = (form.alasan.data or "").strip()
    if form.aksi.data in ("pending", "tutup") and not reason:
        flash("Alasan wajib diisi untuk menunda atau menutup laporan.", "danger")
        return redirect(url_for("admin.report", id_track=id_track))
    return _act(
        id_track, lambda r: report_actions.set_status(r, form.aksi.data, reason), "Status laporan diubah."
    )
