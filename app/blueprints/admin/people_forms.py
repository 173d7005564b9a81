"""Shared handling of the pegawai and admin forms: service errors shown on their fields."""

from flask import abort, flash, redirect, url_for

from ...database import run_in_transaction
from ...extensions import db
from ...panel.directory import Invalid, delete_without_history, toggle_status
from .forms import ConfirmForm


def save_or_show_errors(form, save):
    """Run save(); on Invalid put each message on its field and return False."""
    try:
        run_in_transaction(save)
        return True
    except Invalid as invalid:
        for name, message in invalid.errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            else:
                flash(message, "danger")
        return False


def toggle(model, key, objek, back):
    """The Aktifkan/Nonaktifkan button of a person's row."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    status = run_in_transaction(lambda: toggle_status(db.session.get(model, key) or abort(404), objek))
    flash(f"{key} sekarang {status}.", "success")
    return redirect(url_for(back))


def delete(model, key, objek, back):
    """The Hapus button: only for someone without history."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run_in_transaction(lambda: delete_without_history(db.session.get(model, key) or abort(404), objek))
        flash(f"{key} dihapus.", "success")
    except Invalid as invalid:
        for message in invalid.errors.values():
            flash(message, "danger")
    return redirect(url_for(back))
