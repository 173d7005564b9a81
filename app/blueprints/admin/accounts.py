"""Data Admin/Petugas and the audit log: Administrator only."""

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from ... import audit
from ...extensions import db
from ...models import Admin
from ...panel import directory
from ...phone import display_phone
from . import bp
from .access import ADMINISTRATOR, roles_required
from .forms import AdminForm, ConfirmForm
from .listing import page_number, rows_per_page
from .people_forms import delete, save_or_show_errors, toggle


@bp.get("/admin")
@roles_required(*ADMINISTRATOR)
def admin_list():
    q = request.args.get("q", "").strip()[:100]
    page = directory.search_admins(q, page_number(), rows_per_page())
    problems = directory.admin_phone_problems(page.rows)
    return render_template(
        "admin/admin_list.html",
        page=page,
        problems=problems,
        flagged=sum(1 for problem in problems.values() if problem),
        q=q,
        confirm_form=ConfirmForm(),
        display_phone=display_phone,
    )


def _data(form):
    return directory.AdminData(
        **{
            name: form[name].data or ""
            for name in (
                "nama_admin",
                "level",
                "telepon",
                "username",
                "email",
                "deskripsi",
                "status",
                "keterangan",
                "password",
                "notifikasi_laporan",
            )
        }
    )


@bp.route("/admin/baru", methods=["GET", "POST"])
@roles_required(*ADMINISTRATOR)
def admin_new():
    form = AdminForm()
    if form.validate_on_submit() and save_or_show_errors(form, lambda: directory.save_admin(_data(form))):
        flash(f"Akun {form.nama_admin.data} dibuat.", "success")
        return redirect(url_for("admin.admin_list"))
    return render_template(
        "admin/person_form.html", form=form, title="Tambah Admin/Petugas", back=url_for("admin.admin_list")
    )


@bp.route("/admin/<id_admin>", methods=["GET", "POST"])
@roles_required(*ADMINISTRATOR)
def admin_edit(id_admin):
    row = db.session.get(Admin, id_admin) or abort(404)
    form = AdminForm(obj=row)
    if request.method == "GET" or "password" not in request.form:
        # A field missing from the form keeps the object's value, here the stored hash,
        # which would then be hashed again as the new password.
        form.password.data = ""
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: directory.save_admin(_data(form), existing_id=id_admin)
    ):
        if id_admin == current_user.id_admin:
            # A new password of one's own ends every other session, not this one.
            login_user(db.session.get(Admin, id_admin))
        flash("Akun disimpan.", "success")
        return redirect(url_for("admin.admin_list"))
    return render_template(
        "admin/person_form.html", form=form, title=f"Ubah Akun {id_admin}", back=url_for("admin.admin_list")
    )


@bp.post("/admin/<id_admin>/status")
@roles_required(*ADMINISTRATOR)
def admin_toggle(id_admin):
    if id_admin == current_user.id_admin:
        flash("Anda tidak dapat menonaktifkan akun Anda sendiri.", "danger")
        return redirect(url_for("admin.admin_list"))

    return toggle(Admin, id_admin, "admin", "admin.admin_list")


@bp.post("/admin/<id_admin>/hapus")
@roles_required(*ADMINISTRATOR)
def admin_delete(id_admin):
    if id_admin == current_user.id_admin:
        flash("Anda tidak dapat menghapus akun Anda sendiri.", "danger")
        return redirect(url_for("admin.admin_list"))
    return delete(Admin, id_admin, "admin", "admin.admin_list")


@bp.get("/audit")
@roles_required(*ADMINISTRATOR)
def audit_log():
    page, names = audit.page(page_number(), rows_per_page())
    return render_template(
        "admin/audit.html",
        page=page,
        names=names,
        parse=lambda text: json.loads(text) if text else {},
    )
