"""Signing in to the panel, and what a visitor without a login gets."""

import re

import pytest

from app.extensions import db
from app.models import Admin
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
