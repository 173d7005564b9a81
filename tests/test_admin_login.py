"""Signing in to the panel, and what a visitor without a login gets."""

import re

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Admin, people
from tests.conftest import reset_database, send_wa


def login(client, username="admin", password="sarpras123"):
    return client.post("/login", data={"username": username, "password": password})


def test_it_sends_a_visitor_to_the_login_page(client):
    response = client.get("/beranda")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_demo_administrator_logs_in_and_sees_the_messages(client):
    send_wa(client, "#request <b>lampu</b> mati")
    response = login(client)
    assert response.status_code == 302
    assert "Dery Dehaelt" in client.get("/beranda").get_data(as_text=True)
    page = client.get("/wa-masuk").get_data(as_text=True)
    assert "&lt;b&gt;lampu&lt;/b&gt;" in page and "<b>lampu</b>" not in page


def test_a_wrong_password_is_refused(client):
    page = login(client, password="salah").get_data(as_text=True)
    assert "Username atau password salah." in page
    assert client.get("/beranda").status_code == 302


def test_an_inactive_account_is_refused(client):
    page = login(client, username="john").get_data(as_text=True)
    assert "Akun tidak aktif" in page


def test_a_tbo_lands_on_their_own_jobs_and_nowhere_else(client):
    response = login(client, username="siswanto")
    assert response.headers["Location"] == "/tugas"
    assert client.get("/tugas").status_code == 200
    for page in ("/beranda", "/laporan", "/wa-masuk", "/outbox", "/pegawai", "/admin", "/audit"):
        assert client.get(page).status_code == 403, page


def test_an_account_deactivated_after_login_loses_access(app, client):
    login(client, username="nikolai")
    assert client.get("/beranda").status_code == 200
    with app.app_context():
        db.session.get(Admin, "ADM03").status = "Tidak Aktif"
        db.session.commit()
    assert client.get("/beranda").status_code == 302


def test_it_does_not_redirect_outside_the_site_after_login(client):
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "admin", "password": "sarpras123"}
    )
    assert response.headers["Location"] == "/beranda"


@pytest.fixture
def hash_checks(monkeypatch):
    """The method of every hash werkzeug is asked to check (its function, wrapped)."""
    methods = []
    real = people.check_password_hash

    def counted(stored, plain):
        methods.append(stored.split("$")[0])
        return real(stored, plain)

    monkeypatch.setattr(people, "check_password_hash", counted)
    return methods


@pytest.mark.parametrize(
    "username, password, logged_in",
    [
        ("admin", "salah", False),
        ("tidak-ada", "salah", False),  # no such account
        ("nikolai", "salah", False),  # plain text, imported
        ("nikolai", "rahasia", True),
    ],
)
def test_every_login_costs_one_hash_check_of_the_configured_method(
    app, client, hash_checks, username, password, logged_in
):
    """An unknown username was refused a hash check sooner (~20 ms against ~200 ms), which
    told an attacker which usernames exist."""
    with app.app_context():
        db.session.execute(update(Admin).where(Admin.username == "nikolai").values(password="rahasia"))
        db.session.commit()

    response = login(client, username=username, password=password)

    assert (response.status_code == 302) is logged_in
    assert hash_checks == [app.config["PASSWORD_HASH_METHOD"]]


class TestCsrf:
    @pytest.fixture
    def app(self, app_factory):
        app = app_factory(WTF_CSRF_ENABLED=True)
        reset_database(app)
        return app

    def test_a_login_without_the_csrf_token_is_refused(self, client):
        response = login(client)
        assert response.status_code == 400
        assert "Sesi formulir kedaluwarsa" in response.get_data(as_text=True)
        assert client.get("/beranda").status_code == 302

    def test_a_login_with_the_csrf_token_works(self, client):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login", data={"username": "admin", "password": "sarpras123", "csrf_token": token}
        )
        assert response.status_code == 302

    def test_the_webhook_needs_no_csrf_token(self, client):
        assert send_wa(client, "#help").status_code == 200


def test_health_check(client):
    assert client.get("/healthz").json == {"status": "ok"}


class TestEachRoleStartsAtItsOwnHome:
    def test_a_tbo_coming_from_the_front_page_lands_on_their_jobs(self, client):
        first = client.get("/")
        assert first.status_code == 302
        login_page = first.headers["Location"]
        assert login_page.startswith("/login")
        response = client.post(login_page, data={"username": "siswanto", "password": "sarpras123"})
        assert response.headers["Location"] == "/tugas"
        assert client.get("/").headers["Location"] == "/tugas"

    def test_a_tbo_sent_to_a_page_they_may_not_see_lands_on_their_jobs(self, client):
        for target in ("/beranda", "/laporan?status=Baru", "/admin", "/netmon/", "/tidak-ada"):
            client.post("/logout")
            response = client.post(
                f"/login?next={target}", data={"username": "siswanto", "password": "sarpras123"}
            )
            assert response.headers["Location"] == "/tugas", target

    def test_a_tbo_keeps_a_page_of_their_own(self, client):
        response = client.post("/login?next=/tugas", data={"username": "siswanto", "password": "sarpras123"})
        assert response.headers["Location"] == "/tugas"

    def test_a_staf_sent_to_an_administrator_page_lands_on_beranda(self, client):
        response = client.post("/login?next=/audit", data={"username": "nikolai", "password": "sarpras123"})
        assert response.headers["Location"] == "/beranda"
        client.post("/logout")
        response = client.post("/login?next=/audit", data={"username": "admin", "password": "sarpras123"})
        assert response.headers["Location"] == "/audit"

    def test_the_403_page_leads_to_the_users_own_home(self, client):
        login(client, username="siswanto")
        page = client.get("/beranda")
        assert page.status_code == 403
        buttons = re.findall(r'class="btn btn-primary" href="([^"]+)"', page.get_data(as_text=True))
        assert buttons == ["/tugas"]
        assert client.get(buttons[0]).status_code == 200
