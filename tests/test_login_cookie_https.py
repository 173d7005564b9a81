"""SESSION_COOKIE_SECURE=on with the login page opened over plain HTTP: the browser would
drop the cookie and the login would fail without a word, so the page and the log say why."""

import logging

import pytest

from app.blueprints.admin import auth
from tests.conftest import reset_database

WARNING = 'id="cookie-https"'


@pytest.fixture(autouse=True)
def warn_again():
    auth._warned.clear()
    yield
    auth._warned.clear()


@pytest.mark.parametrize(
    "settings, base_url, headers, warned",
    [
        ({"SESSION_COOKIE_SECURE": True}, "http://localhost", {}, True),
        ({"SESSION_COOKIE_SECURE": True}, "https://localhost", {}, False),
        ({"SESSION_COOKIE_SECURE": False}, "http://localhost", {}, False),
        # Behind nginx with HTTPS: the scheme comes from X-Forwarded-Proto, trusted only
        # when PROXY_COUNT says a proxy is there.
        (
            {"SESSION_COOKIE_SECURE": True, "PROXY_COUNT": 1},
            "http://localhost",
            {"X-Forwarded-Proto": "https"},
            False,
        ),
        (
            {"SESSION_COOKIE_SECURE": True, "PROXY_COUNT": 1},
            "http://localhost",
            {"X-Forwarded-Proto": "http"},
            True,
        ),
        (
            {"SESSION_COOKIE_SECURE": True, "PROXY_COUNT": 0},
            "http://localhost",
            {"X-Forwarded-Proto": "https"},
            True,
        ),
    ],
)
def test_the_login_page_warns_only_when_the_cookie_cannot_come_back(
    app_factory, settings, base_url, headers, warned
):
    app = app_factory(**settings)
    reset_database(app)
    page = app.test_client().get("/login", base_url=base_url, headers=headers)
    assert page.status_code == 200
    assert (WARNING in page.get_data(as_text=True)) is warned


def test_the_log_says_it_once(app_factory, caplog):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        client.get("/login")
        client.get("/login")
    lines = [r.getMessage() for r in caplog.records if "SESSION_COOKIE_SECURE" in r.getMessage()]
    assert len(lines) == 1
    assert "login tidak akan berhasil" in lines[0]
