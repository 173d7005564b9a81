"""Kategori: the categories of reports, their keywords and teams. Administrator only."""

from flask import abort, flash, redirect, render_template, request, url_for

from ...database import run_in_transaction
from ...extensions import db
from ...models import Bidang
from ...models.categories import UMUM
from ...panel import categories as manage
from ...reporting import categories
from . import bp
from .access import ADMINISTRATOR, roles_required
from .forms import MAX_PEOPLE, CategoryForm, ConfirmForm
from .people_forms import save_or_show_errors

# Empty places shown after the team's members, for adding people without a script.
SPARE_PLACES = 2
MIN_PLACES = 4


@bp.get("/kategori")
@roles_required(*ADMINISTRATOR)
def categories_list():
    return render_template(
        "admin/categories.html",
        listed=manage.listing(),
        mode=manage.mode_text,
        may_serve=categories.may_serve,
        umum=UMUM,
    )


def _data(form):
    return manage.CategoryData(
        nama=form.nama.data or "",
        kata=form.kata.data or "",
        petugas=[key for key in form.petugas.data or [] if key],
        otomatis=form.otomatis.data,
        satu=form.satu.data,
    )


def _form_page(form, title, current):
    chosen = form.petugas.data or [admin.id_admin for admin in current]
    chosen = [key for key in chosen if key][:MAX_PEOPLE]
    return render_template(
        "admin/category_form.html",
        form=form,
        title=title,
        people=manage.team_choices(current),
        may_serve=categories.may_serve,
        chosen=chosen,
        places=max(len(chosen) + SPARE_PLACES, MIN_PLACES),
    )


@bp.route("/kategori/baru", methods=["GET", "POST"])
@roles_required(*ADMINISTRATOR)
def category_new():
    form = CategoryForm()
    if form.validate_on_submit() and save_or_show_errors(form, lambda: manage.save(_data(form))):
        flash(f"Kategori {form.nama.data} ditambahkan.", "success")
        return redirect(url_for("admin.categories_list"))
    return _form_page(form, "Tambah Kategori", [])


@bp.route("/kategori/<int:id_bidang>", methods=["GET", "POST"])
@roles_required(*ADMINISTRATOR)
def category_edit(id_bidang):
    row = db.session.get(Bidang, id_bidang) or abort(404)
    form = CategoryForm(obj=row)
    if request.method == "GET":
        form.petugas.data = []
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: manage.save(_data(form), existing_id=id_bidang)
    ):
        flash(f"Kategori {form.nama.data} disimpan.", "success")
        return redirect(url_for("admin.categories_list"))
    return _form_page(form, f"Ubah Kategori {row.nama}", categories.members(id_bidang))


@bp.post("/kategori/<int:id_bidang>/hapus")
@roles_required(*ADMINISTRATOR)
def category_delete(id_bidang):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def work():
        row = db.session.get(Bidang, id_bidang) or abort(404)
        return row.nama, manage.remove(row)

    nama, moved = run_in_transaction(work)
    flash(f"Kategori {nama} dihapus; {moved} laporan dipindah ke {UMUM}.", "success")
    return redirect(url_for("admin.categories_list"))
