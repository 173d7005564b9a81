from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ...accounts import authenticate
from . import bp
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.home"))
    form = LoginForm()
    if form.validate_on_submit():
        admin, error = authenticate(form.username.data, form.password.data)
        if admin is not None:
            login_user(admin)
            target = request.args.get("next", "")
            # Only a path on this site, never an outside address.
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("admin.home")
            return redirect(target)
        flash(error, "danger")
    return render_template("admin/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("admin.login"))
