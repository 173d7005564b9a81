from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ...accounts import authenticate
from ...extensions import limiter
from . import bp
from .forms import LoginForm


def landing(user):
    return url_for("admin.my_jobs") if user.level == "TBO" else url_for("admin.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(landing(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        admin, error = authenticate(form.username.data, form.password.data)
        if admin is not None:
            login_user(admin)
            target = request.args.get("next", "")
            # Only a path on this site, never an outside address.
            if not target.startswith("/") or target.startswith("//"):
                target = landing(admin)
            return redirect(target)
        flash(error, "danger")
    return render_template("admin/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("admin.login"))
