from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ...accounts import authenticate, end_sessions
from ...extensions import limiter
from ...redirects import same_site_path
from . import bp
from .access import home_url, may_open
from .forms import LoginForm


def _next_page(user):
    """The page asked for before the login, if it is on this site and this role may see
    it; else the role's own home."""
    target = same_site_path(request.args.get("next", ""))
    return target if target is not None and may_open(user, target) else home_url(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        admin, error = authenticate(form.username.data, form.password.data)
        if admin is not None:
            login_user(admin)
            return redirect(_next_page(admin))
        flash(error, "danger")
    return render_template("admin/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user.id_admin)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("admin.login"))
