"""Akun saya: what a Staf or Administrator sets for themselves."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...panel import directory
from ...phone import display_phone
from . import bp
from .access import PANEL_LEVELS, roles_required
from .forms import NoticeForm
from .people_forms import save_or_show_errors


@bp.route("/akun", methods=["GET", "POST"])
@roles_required(*PANEL_LEVELS)
def my_account():
    form = NoticeForm(obj=current_user)
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: directory.set_report_notice(current_user.id_admin, form.notifikasi_laporan.data)
    ):
        flash("Pilihan notifikasi disimpan.", "success")
        return redirect(url_for("admin.my_account"))
    return render_template("admin/my_account.html", form=form, phone=display_phone(current_user.telepon))
