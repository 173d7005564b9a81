"""A database that accepts connections and then never answers: every request answers a 503
(JSON for webhooks, a page for the panel) within DATABASE_TIMEOUT_SECONDS or about twice
it, instead of holding the web worker until gunicorn kills it. MariaDB only: a hung SQLite
file is not a thing."""

import re
import time

import pymysql
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.database import engine_options, is_retryable, is_unavailable
from app.extensions import db
from app.models import PesanMasuk
from tests.conftest import fonnte_body
from tests.peers.tcp_proxy import FreezableProxy

TIMEOUT = 2


@pytest.fixture
def proxy(app):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "mysql":
        pytest.skip("MariaDB only (TEST_DATABASE_URL)")
    peer = FreezableProxy(url.host or "127.0.0.1", url.port or 3306).start()
    yield peer
    peer.stop()


def proxied(app, app_factory, proxy, **overrides):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(host="127.0.0.1", port=proxy.port)
    return app_factory(
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
        DATABASE_TIMEOUT_SECONDS=TIMEOUT,
        **overrides,
    )


@pytest.fixture
def through_proxy(app, app_factory, proxy):
    return proxied(app, app_factory, proxy)


def stored(app):
    with app.app_context():
        return [row.pesan for row in db.session.query(PesanMasuk).order_by(PesanMasuk.idn)]


def timed(call):
    started = time.monotonic()
    response = call()
    print(f"answered {response.status_code} after {time.monotonic() - started:.1f} s")
    return response


def post(client, text, inboxid):
    return client.post("/webhook/fonnte", json=fonnte_body(text, inboxid=inboxid))


def test_a_webhook_answers_503_while_the_database_hangs_and_stores_the_retry(app, through_proxy, proxy):
    client = through_proxy.test_client()
    assert post(client, "#request lampu aula mati", 1).status_code == 200

    proxy.freeze()
    answer = timed(lambda: post(client, "#request AC ruang 2 bocor", 2))

    assert answer.status_code == 503
    assert answer.is_json and answer.json["status"] is False
    assert answer.headers["Retry-After"]
    proxy.thaw()
    # The provider delivers it again, and now it is stored; nothing earlier was lost.
    assert post(client, "#request AC ruang 2 bocor", 2).status_code == 200
    assert stored(app) == ["#request lampu aula mati", "#request AC ruang 2 bocor"]


def test_a_server_that_never_answers_the_handshake_is_a_503(app, through_proxy, proxy):
    proxy.freeze()
    answer = timed(lambda: post(through_proxy.test_client(), "#request lampu aula mati", 1))

    assert answer.status_code == 503 and answer.is_json
    assert stored(app) == []


def test_the_panel_answers_a_readable_503_page(app, through_proxy, proxy):
    client = through_proxy.test_client()
    assert client.post("/login", data={"username": "admin", "password": "sarpras123"}).status_code == 302

    proxy.freeze()
    page = timed(lambda: client.get("/beranda"))

    assert page.status_code == 503
    assert page.mimetype == "text/html"
    assert "Basis data sedang tidak menjawab" in page.get_data(as_text=True)


def staf_client(app):
    """A Staf logged in through the login form, CSRF token and all."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"username": "nikolai", "password": "sarpras123", "csrf_token": token}
    assert client.post("/login", data=form).status_code == 302
    return client


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/tidak-ada"),  # 404
        ("DELETE", "/laporan"),  # 405
        ("POST", "/outbox/ulang-semua"),  # 400: no CSRF token
    ],
)
def test_an_error_page_while_the_database_hangs_is_the_503_page(app, app_factory, proxy, method, path):
    """The 404/405/400 pages show who is logged in: loading them timed out inside the
    error handler, and gunicorn answered its bare 500."""
    client = staf_client(proxied(app, app_factory, proxy, WTF_CSRF_ENABLED=True))

    proxy.freeze()
    page = timed(lambda: client.open(path, method=method))

    assert page.status_code == 503
    assert page.mimetype == "text/html"
    assert "Basis data sedang tidak menjawab" in page.get_data(as_text=True)
    assert page.headers["Retry-After"]


def test_every_mysql_connection_has_timeouts():
    options = engine_options("mysql+pymysql://u@h/d", 5)
    assert options["connect_args"] == {"connect_timeout": 5, "read_timeout": 5, "write_timeout": 5}
    assert options["pool_timeout"] == 5
    assert "connect_args" not in engine_options("mysql+pymysql://u@h/d", 0)


def dbapi_error(code, message):
    return OperationalError("SELECT 1", {}, pymysql.err.OperationalError(code, message))


@pytest.mark.parametrize(
    "error, unavailable, retryable",
    [
        (dbapi_error(2013, "Lost connection to MySQL server during query (timed out)"), True, False),
        (dbapi_error(2003, "Can't connect to MySQL server on '127.0.0.1' (timed out)"), True, False),
        (dbapi_error(2006, "MySQL server has gone away"), True, False),
        (PoolTimeout("QueuePool limit of size 10 overflow 20 reached"), True, False),
        (dbapi_error(1213, "Deadlock found when trying to get lock"), False, True),
        (dbapi_error(1205, "Lock wait timeout exceeded"), False, True),
        (dbapi_error(1054, "Unknown column 'x'"), False, False),
    ],
)
def test_a_database_that_does_not_answer_is_never_retried(error, unavailable, retryable):
    assert is_unavailable(error) is unavailable
    assert is_retryable(error) is retryable
