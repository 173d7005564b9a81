import math

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ... import login_throttle
from ...accounts import authenticate, end_sessions
from ...redirects import same_site_path
from . import bp
from .access import home_url, may_open
from .forms import LoginForm


def _next_page(user):
    """The page asked for before the login, if it is on this site and this role may see
    it; else the role's own home."""
    target = same_site_path(request.args.get("next", ""))
    return target if target is not None and may_open(user, target) else home_url(user)


_warned = []


def _cookie_cannot_come_back():
    """A Secure session cookie on a page served over plain HTTP: the browser keeps no
    such cookie, so the form's CSRF token and then the login itself are lost. Told on the
    page and once in the log, since otherwise the login just fails."""
    if not current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        return False
    if not _warned:
        _warned.append(True)
        current_app.logger.warning(
            "SESSION_COOKIE_SECURE=on tetapi halaman login dibuka lewat HTTP (%s): login tidak akan berhasil; "
            "buka lewat HTTPS, dan di belakang nginx atur PROXY_COUNT=1 dengan X-Forwarded-Proto",
            request.host,
        )
    return True


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    insecure = _cookie_cannot_come_back()
    form = LoginForm()
    if form.validate_on_submit():
        # remote_addr is the client's own address, or X-Forwarded-For's when PROXY_COUNT
        # proxies are declared (ProxyFix in create_app), never the header otherwise.
        attempt = login_throttle.begin(form.username.data, request.remote_addr, current_app.config)
        if attempt.retry_after:
            return _too_many(form, attempt.retry_after)
        admin, error = authenticate(form.username.data, form.password.data)
        if admin is not None:
            login_throttle.succeeded(attempt)
            login_user(admin)
            return redirect(_next_page(admin))
        flash(error, "danger")
    return render_template("admin/login.html", form=form, insecure=insecure)


def _too_many(form, seconds):
    minutes = math.ceil(seconds / 60)
    flash(f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.", "danger")
    response = make_response(render_template("admin/login.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user.id_admin)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("admin.login"))
