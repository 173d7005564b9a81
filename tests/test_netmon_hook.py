"""/netmon/hook: Netwatch's up/down scripts call it with /tool fetch."""

import pytest

from app.netmon import poller
from tests.conftest import reset_database
from tests.netmon_helpers import CHATS, add_router, events, telegram_queue
from tests.peers.routeros import FakeRouter

TOKEN = "hook-rahasia"


@pytest.fixture
def router():
    peer = FakeRouter().start()
    peer.add_host("172.16.200.117", "up", "Kecamatan Waru")
    yield peer
    peer.stop()


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_HOOK_TOKEN=TOKEN)
    reset_database(app)
    add_router(app, router)
    with app.app_context():
        poller.poll_all(app.config)
    return app


def fetch(client, **params):
    # What `/tool fetch url="http://.../netmon/hook?token=..&host=..&state=down"` sends.
    return client.get("/netmon/hook", query_string=params, headers={"User-Agent": "MikroTik"})


def test_a_push_is_alerted_at_once_and_the_next_poll_stays_quiet(app, client, router):
    response = fetch(client, token=TOKEN, host="172.16.200.117", state="down")
    assert response.status_code == 200 and response.json["matched"] == 1
    assert len(telegram_queue(app)) == len(CHATS)
    assert "Kecamatan Waru" in telegram_queue(app)[0][1]
    fetch(client, token=TOKEN, host="172.16.200.117", state="down")  # Netwatch may call twice
    router.set_status("172.16.200.117", "down")
    with app.app_context():
        poller.poll_all(app.config)
    assert len(telegram_queue(app)) == len(CHATS)
    assert [(e[2], e[3]) for e in events(app)] == [("up", "down")]


def test_a_post_with_a_form_works_too(app, client):
    response = client.post("/netmon/hook", data={"token": TOKEN, "host": "172.16.200.117", "status": "down"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params, status",
    [
        ({"token": "salah", "host": "172.16.200.117", "state": "down"}, 403),
        ({"host": "172.16.200.117", "state": "down"}, 403),
        ({"token": TOKEN, "host": "172.16.200.117", "state": "miring"}, 400),
        ({"token": TOKEN, "host": "10.99.99.99", "state": "down"}, 404),
    ],
)
def test_bad_calls_are_refused_and_change_nothing(app, client, params, status):
    response = fetch(client, **params)
    assert response.status_code == status and response.json["status"] is False
    assert telegram_queue(app) == []


def test_the_hook_is_off_without_a_token(app_factory):
    app = app_factory(NETMON_HOOK_TOKEN=None)
    assert app.test_client().get("/netmon/hook?host=x&state=down").status_code == 404


def test_the_hook_needs_no_csrf_token(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_HOOK_TOKEN=TOKEN, WTF_CSRF_ENABLED=True)
    reset_database(app)
    add_router(app, router)
    with app.app_context():
        poller.poll_all(app.config)
    response = app.test_client().post(
        "/netmon/hook", data={"token": TOKEN, "host": "172.16.200.117", "state": "down"}
    )
    assert response.status_code == 200
