"""Data Pegawai: list, search, add, edit, deactivate, import."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import clock
from ...extensions import db
from ...models import Pegawai
from ...panel import directory, importer
from ...phone import display_phone
from . import bp
from .access import PANEL_LEVELS, roles_required
from .forms import ConfirmForm, ImportForm, PegawaiForm
from .listing import page_number, rows_per_page
from .people_forms import delete, save_or_show_errors, toggle


@bp.get("/pegawai")
@roles_required(*PANEL_LEVELS)
def pegawai_list():
    q = request.args.get("q", "").strip()[:100]
    page = directory.search_pegawai(q, page_number(), rows_per_page())
    problems = directory.pegawai_phone_problems(page.rows)
    return render_template(
        "admin/pegawai_list.html",
        page=page,
        problems=problems,
        flagged=sum(1 for problem in problems.values() if problem),
        q=q,
        confirm_form=ConfirmForm(),
        display_phone=display_phone,
    )


def _data(form):
    return directory.PegawaiData(
        **{
            name: form[name].data or ""
            for name in (
                "id_pegawai",
                "nama_pegawai",
                "telepon",
                "email",
                "jurusan",
                "bagian",
                "status",
                "keterangan",
            )
        }
    )


@bp.route("/pegawai/baru", methods=["GET", "POST"])
@roles_required(*PANEL_LEVELS)
def pegawai_new():
    form = PegawaiForm()
    if request.method == "GET":
        form.id_pegawai.data = directory.next_pegawai_id(clock.local_now().date())
    if form.validate_on_submit() and save_or_show_errors(form, lambda: directory.save_pegawai(_data(form))):
        flash(f"Pegawai {form.nama_pegawai.data} ditambahkan.", "success")
        return redirect(url_for("admin.pegawai_list"))
    return render_template(
        "admin/person_form.html", form=form, title="Tambah Pegawai", back=url_for("admin.pegawai_list")
    )


@bp.route("/pegawai/<id_pegawai>", methods=["GET", "POST"])
@roles_required(*PANEL_LEVELS)
def pegawai_edit(id_pegawai):
    row = db.session.get(Pegawai, id_pegawai) or abort(404)
    form = PegawaiForm(obj=row)
    form.id_pegawai.render_kw = {"readonly": True}
    if request.method == "POST":
        form.id_pegawai.data = row.id_pegawai
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: directory.save_pegawai(_data(form), existing_id=id_pegawai)
    ):
        flash("Data pegawai disimpan.", "success")
        return redirect(url_for("admin.pegawai_list"))
    return render_template(
        "admin/person_form.html",
        form=form,
        title=f"Ubah Pegawai {id_pegawai}",
        back=url_for("admin.pegawai_list"),
    )


@bp.post("/pegawai/<id_pegawai>/status")
@roles_required(*PANEL_LEVELS)
def pegawai_toggle(id_pegawai):
    return toggle(Pegawai, id_pegawai, "pegawai", "admin.pegawai_list")


@bp.post("/pegawai/<id_pegawai>/hapus")
@roles_required(*PANEL_LEVELS)
def pegawai_delete(id_pegawai):
    return delete(Pegawai, id_pegawai, "pegawai", "admin.pegawai_list")


@bp.route("/pegawai/impor", methods=["GET", "POST"])
@roles_required(*PANEL_LEVELS)
def pegawai_import():
    form = ImportForm()
    rows, token = None, None
    if form.validate_on_submit():
        upload = form.berkas.data
        try:
            checked = importer.check(importer.read_table(upload.filename, upload.stream))
            token = importer.keep(current_app.instance_path, checked, current_user.id_admin)
            rows = checked
        except importer.ImportError_ as error:
            flash(str(error), "danger")
    return render_template(
        "admin/pegawai_import.html", form=form, rows=rows, token=token, confirm_form=ConfirmForm()
    )


@bp.post("/pegawai/impor/<token>")
@roles_required(*PANEL_LEVELS)
def pegawai_import_save(token):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        saved, skipped = importer.save(current_app.instance_path, token, current_user.id_admin)
        flash(f"{saved} pegawai disimpan, {skipped} baris dilewati.", "success")
    except importer.ImportError_ as error:
        flash(str(error), "danger")
    return redirect(url_for("admin.pegawai_list"))
