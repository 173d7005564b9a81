"""Pengaturan: the letterhead and signature block of printed pages (Administrator only),
and the logo they show (every panel user prints)."""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for

from ...panel import letterhead, logo
from . import bp
from .access import ADMINISTRATOR, PANEL_LEVELS, roles_required
from .forms import ConfirmForm, LetterheadForm, LogoForm
from .people_forms import save_or_show_errors


def _page(form, logo_form):
    return render_template(
        "admin/letterhead.html",
        form=form,
        logo_form=logo_form,
        confirm_form=ConfirmForm(),
        kop=letterhead.current(),
        max_mb=logo.MAX_BYTES // 2**20,
    )


@bp.route("/pengaturan/kop-surat", methods=["GET", "POST"])
@roles_required(*ADMINISTRATOR)
def letterhead_settings():
    form = LetterheadForm(data=letterhead.values()) if request.method == "GET" else LetterheadForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: letterhead.save({f.key: form[f.key].data for f in letterhead.FIELDS})
    ):
        flash("Kop surat dan tanda tangan disimpan.", "success")
        return redirect(url_for("admin.letterhead_settings"))
    return _page(form, LogoForm())


@bp.post("/pengaturan/kop-surat/logo")
@roles_required(*ADMINISTRATOR)
def logo_upload():
    form = LogoForm()
    if form.validate_on_submit():
        try:
            logo.replace(form.logo.data.read(logo.MAX_BYTES + 1), current_app.instance_path)
            flash("Logo disimpan.", "success")
            return redirect(url_for("admin.letterhead_settings"))
        except logo.Invalid as error:
            form.logo.errors = [*form.logo.errors, str(error)]
    return _page(LetterheadForm(formdata=None, data=letterhead.values()), form)


@bp.post("/pengaturan/kop-surat/logo/hapus")
@roles_required(*ADMINISTRATOR)
def logo_remove():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if logo.remove(current_app.instance_path):
        flash("Logo dihapus.", "success")
    return redirect(url_for("admin.letterhead_settings"))


@bp.get("/pengaturan/logo")
@roles_required(*PANEL_LEVELS)
def letterhead_logo():
    """The logo in use, found through its setting; the request names no file."""
    found = logo.current_file(current_app.instance_path)
    if found is None:
        abort(404)
    path, mimetype = found
    return send_file(path, mimetype=mimetype, max_age=0)


@bp.app_template_global()
def kop_surat():
    """The letterhead and signature block, for the print pages."""
    return letterhead.current()


@bp.app_template_global()
def kop_logo_url():
    """The logo's address (changing with each new logo, so no browser shows an old one),
    or None when there is none."""
    found = logo.current_file(current_app.instance_path)
    return url_for("admin.letterhead_logo", v=found[0].stem[:12]) if found else None
