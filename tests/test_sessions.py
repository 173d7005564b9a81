"""A session cookie dies with logout, a new password and deactivation: each account's
session token is part of the cookie and changes then."""

from app.extensions import db
from app.models import Admin
from tests.test_admin_login import login


def saved_cookie(app, username="nikolai"):
    """Log in on a browser of its own and keep its session cookie, as an attacker who
    copied it would."""
    browser = app.test_client()
    assert login(browser, username=username).status_code == 302
    assert browser.get("/beranda").status_code == 200
    return browser, browser.get_cookie("session").value


def opens_beranda(app, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/beranda").status_code == 200


def test_a_cookie_saved_before_logout_no_longer_opens_the_panel(app):
    browser, cookie = saved_cookie(app)
    assert opens_beranda(app, cookie)
    browser.post("/logout")
    assert not opens_beranda(app, cookie)
    assert browser.get("/beranda").status_code == 302


def test_logging_in_again_after_logout_works(app):
    browser, _ = saved_cookie(app)
    browser.post("/logout")
    assert login(browser, username="nikolai").status_code == 302
    assert browser.get("/beranda").status_code == 200


def save_account(administrator, id_admin, **fields):
    """The account form as a browser posts it (an empty password means: keep it)."""
    form = {"level": "Staf", "status": "Aktif", "password": "", **fields}
    assert administrator.post(f"/admin/{id_admin}", data=form).status_code == 302


def administrator_browser(app):
    administrator = app.test_client()
    login(administrator)
    return administrator


def test_a_new_password_set_in_the_panel_ends_the_old_sessions(app):
    _, cookie = saved_cookie(app)
    administrator = administrator_browser(app)
    save_account(
        administrator,
        "ADM03",
        nama_admin="Nikolai Gordyer",
        username="nikolai",
        password="sandi-baru-panjang",
    )
    assert not opens_beranda(app, cookie)
    # the Administrator's own session lives on
    assert administrator.get("/beranda").status_code == 200


def test_saving_an_account_without_a_new_password_ends_nothing(app):
    _, cookie = saved_cookie(app)
    save_account(administrator_browser(app), "ADM03", nama_admin="Nikolai G.", username="nikolai")
    assert opens_beranda(app, cookie)


def test_an_administrator_changing_their_own_password_stays_logged_in(app):
    administrator, cookie = saved_cookie(app, "admin")
    save_account(
        administrator,
        "ADM01",
        nama_admin="Dery Dehaelt",
        level="Administrator",
        username="admin",
        password="sandi-baru-panjang",
    )
    assert administrator.get("/beranda").status_code == 200
    assert not opens_beranda(app, cookie)


def test_a_new_password_from_the_command_line_ends_the_old_sessions(app):
    _, cookie = saved_cookie(app)
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--username", "nikolai", "--nama", "Nikolai Gordyer", "--level", "Staf"],
        input="sandi-baru-panjang\nsandi-baru-panjang\n",
    )
    assert result.exit_code == 0, result.output
    assert not opens_beranda(app, cookie)


def test_deactivation_ends_the_sessions_for_good(app):
    _, cookie = saved_cookie(app)
    administrator = administrator_browser(app)
    administrator.post("/admin/ADM03/status")
    assert not opens_beranda(app, cookie)
    administrator.post("/admin/ADM03/status")
    with app.app_context():
        assert db.session.get(Admin, "ADM03").status == "Aktif"
    # active again, but the cookie from before stays dead
    assert not opens_beranda(app, cookie)


def test_an_account_brought_over_without_a_token_still_logs_in(app):
    with app.app_context():
        db.session.get(Admin, "ADM03").token_sesi = None
        db.session.commit()
    browser, cookie = saved_cookie(app)
    with app.app_context():
        assert db.session.get(Admin, "ADM03").token_sesi
    assert opens_beranda(app, cookie)


def test_an_account_form_posted_without_its_password_field_keeps_the_password(app):
    """WTForms keeps the object's value for a field missing from the form: the stored
    hash would have become the new password."""
    form = {"level": "Staf", "status": "Aktif", "nama_admin": "Nikolai G.", "username": "nikolai"}
    assert administrator_browser(app).post("/admin/ADM03", data=form).status_code == 302
    assert login(app.test_client(), username="nikolai").status_code == 302
