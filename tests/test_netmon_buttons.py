"""The menu without typing: routers and hosts as inline buttons, and what a pressed button
(ours, outdated or forged) gets."""

import pytest

from app.database import run_in_transaction
from app.extensions import db
from app.models import Host, Router
from app.netmon import bot, buttons, hosts, poller
from app.netmon.buttons import Press
from app.worker import Worker
from tests.conftest import reset_database
from tests.netmon_helpers import BOT_TOKEN, CHATS, add_router, branch_router
from tests.peers.routeros import FakeRouter
from tests.peers.telegram import FakeTelegram
from tests.waiting import wait_until


@pytest.mark.parametrize(
    "data, expected",
    [
        ("cmd:dhcp", Press("cmd", command="dhcp")),
        ("ack:12", Press("ack", reference="12")),
        ("run:3:dhcp", Press("run", command="dhcp", router_id=3)),
        ("run:3:traffic:ether2", Press("run", command="traffic", router_id=3, args=("ether2",))),
        ("run:3:ping:10.0.0.1", Press("run", command="ping", router_id=3, args=("10.0.0.1",))),
        ("hosts:0:2", Press("hosts", router_id=0, page=2)),
        ("hosts:7:0", Press("hosts", router_id=7, page=0)),
        ("ping:41", Press("ping", host_id=41)),
        ("", None),
        ("cmd:", None),
        ("cmd:DHCP; rm", None),
        ("run:x:dhcp", None),
        ("run:3:", None),
        ("run:3:dhcp:", None),
        ("run:3:dhcp:a\nb", None),
        ("hosts:1", None),
        ("hosts:1:-1", None),
        ("ping:", None),
        ("ping:1e3", None),
        ("ping:" + "9" * 60, None),
        ("hapus:1", None),
    ],
)
def test_callback_data_is_read_strictly(data, expected):
    assert buttons.parse(data) == expected


def test_data_that_would_pass_telegrams_limit_is_not_made():
    assert buttons.run_data(123, "ping", ["10.0.0.1"]) == "run:123:ping:10.0.0.1"
    assert buttons.run_data(123, "traffic", ["x" * 60]) is None


@pytest.fixture
def router():
    with branch_router(ping=2) as peer:
        yield peer


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1)
    reset_database(app)
    add_router(app, router)
    with app.app_context():
        poller.poll_all(app.config)
    return app


@pytest.fixture
def second(app):
    peer = FakeRouter().start()
    peer.add_host("10.9.0.1", "up", "Cabang Krian")
    peer.tables["/ip/pool"] = [{".id": "*1", "name": "pool_cabang", "ranges": "10.9.0.2-10.9.0.254"}]
    add_router(app, peer, nama="cabang")
    with app.app_context():
        poller.poll_all(app.config)
    yield peer
    peer.stop()


def ask(app, text):
    with app.app_context():
        return bot.answer(text, "Admin")


def press(app, data):
    """(notice, replies) of a pressed button."""
    with app.app_context():
        notice, work = bot.pressed(data, "Admin")
        return notice, (work() if work else None)


def callbacks(reply):
    rows = reply.keyboard["reply_markup"]["inline_keyboard"]
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def all_fit(reply):
    return all(len(data.encode()) <= buttons.CALLBACK_LIMIT for _, data in callbacks(reply))


def test_ping_alone_offers_the_routers_hosts_and_a_press_pings_one(app):
    (reply,) = ask(app, "/ping")
    offered = callbacks(reply)
    assert [text for text, _ in offered] == [
        "🟢 Kecamatan Balongbendo (10.0.0.2)",
        "🟢 Kecamatan Waru (10.0.0.1)",
    ]
    assert all(data.startswith("ping:") for _, data in offered) and all_fit(reply)
    notice, replies = press(app, offered[1][1])
    assert notice == "Dicatat"
    assert "Ping 10.0.0.1 (Kecamatan Waru)" in replies[0].text and "diterima: 4" in replies[0].text


def test_the_ping_button_of_the_menu_opens_the_same_choice(app):
    _, (reply,) = press(app, "cmd:ping")
    assert "Pilih host" in reply.text and len(callbacks(reply)) == 2


def test_many_hosts_are_paged(app, router):
    for n in range(3, 21):
        router.add_host(f"10.0.1.{n}", "up", f"Cabang {n:02d}")
    with app.app_context():
        poller.poll_all(app.config)
    (first,) = ask(app, "/ping")
    offered = callbacks(first)
    assert len(offered) == buttons.PAGE_SIZE + 1 and offered[-1][0] == "Berikutnya »"
    assert "halaman 1 dari 3" in first.text and all_fit(first)
    _, (last,) = press(app, offered[-1][1])
    offered = callbacks(last)
    assert "halaman 2 dari 3" in last.text
    assert [text for text, _ in offered[-2:]] == ["« Sebelumnya", "Berikutnya »"]
    router_id = int(offered[-1][1].split(":")[1])
    _, (end,) = press(app, buttons.hosts_data(router_id, 2))
    labels = [text for text, _ in callbacks(end)]
    assert len(labels) == 20 - 2 * buttons.PAGE_SIZE + 1 and labels[-1] == "« Sebelumnya"
    # A page past the end (hosts removed meanwhile) shows the last one.
    _, (past,) = press(app, buttons.hosts_data(router_id, 9))
    assert "halaman 3 dari 3" in past.text


def test_with_several_routers_a_command_asks_which(app, second):
    (reply,) = ask(app, "/pool")
    assert "di router mana" in reply.text
    offered = callbacks(reply)
    assert [text for text, _ in offered] == ["🖧 utama", "🖧 cabang"]
    _, replies = press(app, offered[1][1])
    assert "IP Pool</b> — cabang" in replies[0].text and "pool_cabang" in replies[0].text
    assert "pool_cabang" in ask(app, "/pool cabang")[0].text


def test_with_several_routers_a_ping_asks_which_keeping_the_address(app, second):
    (reply,) = ask(app, "/ping 10.0.0.1")
    data = callbacks(reply)[0][1]
    assert data.startswith("run:") and data.endswith(":ping:10.0.0.1")
    _, replies = press(app, data)
    assert "Ping 10.0.0.1" in replies[0].text and "— utama" in replies[0].text


def test_with_several_routers_ping_alone_asks_for_the_router_first(app, second):
    (reply,) = ask(app, "/ping")
    offered = callbacks(reply)
    assert [text for text, _ in offered] == ["🖧 utama", "🖧 cabang"]
    _, (hosts,) = press(app, offered[1][1])
    assert "cabang" in hosts.text and [t for t, _ in callbacks(hosts)] == ["🟢 Cabang Krian (10.9.0.1)"]


def test_arguments_too_long_for_a_button_are_asked_in_words(app, second):
    (reply,) = ask(app, "/traffic " + "x" * 60)
    assert reply.keyboard is None and "tambahkan nama router" in reply.text


@pytest.mark.parametrize(
    "data, notice",
    [
        ("hapus:1", "tidak dikenal atau sudah kedaluwarsa"),
        ("run:{rid}:reboot", "tidak dikenal atau sudah kedaluwarsa"),
        ("ping:99999", "Host pada tombol ini sudah tidak dipantau"),
        ("run:99999:dhcp", "Router pada tombol ini sudah tidak aktif"),
        ("hosts:99999:0", "Router pada tombol ini sudah tidak aktif"),
    ],
)
def test_a_stale_or_forged_button_is_told_and_runs_nothing(app, router, data, notice):
    with app.app_context():
        rid = db.session.query(Router.id_router).scalar()
    commands = len(router.commands)
    told, replies = press(app, data.format(rid=rid))
    assert notice in told and replies is None
    assert len(router.commands) == commands


def test_a_button_of_a_router_disabled_since_is_stale(app):
    (reply,) = ask(app, "/ping")
    data = callbacks(reply)[0][1]

    def disable():
        db.session.query(Router).update({Router.aktif: False})

    with app.app_context():
        run_in_transaction(disable)
    told, replies = press(app, data)
    assert "sudah tidak dipantau" in told and replies is None


def hosts_known(app):
    with app.app_context():
        return db.session.query(Host).count()


def test_over_the_bot_api_a_host_is_pinged_by_buttons_and_a_forged_one_is_told(app_factory, router):
    telegram = FakeTelegram(BOT_TOKEN).start()
    app = app_factory(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL=telegram.base_url,
        TELEGRAM_ADMIN_CHAT_IDS=CHATS,
        TELEGRAM_POLL_TIMEOUT=1,
        NETMON_INTERVAL=0.2,
        NETMON_ROUTER_TIMEOUT=1,
    )
    reset_database(app)
    add_router(app, router)
    worker = Worker(app).start()
    try:
        assert wait_until(worker.active.is_set)
        assert wait_until(lambda: hosts_known(app) == 2)
        telegram.press(CHATS[0], "cmd:ping")
        (menu,) = telegram.wait_for(1)
        waru = [b for row in menu["reply_markup"]["inline_keyboard"] for b in row if "Waru" in b["text"]]
        telegram.press(CHATS[0], waru[0]["callback_data"], message_id=menu["message_id"])
        sent = telegram.wait_for(2)
        assert "Ping 10.0.0.1 (Kecamatan Waru)" in sent[1]["text"]
        telegram.press(CHATS[0], "ping:99999")
        assert wait_until(lambda: len(telegram.answered) == 3)
        stale = telegram.answered[2]
        assert "tidak dipantau" in stale["text"] and str(stale["show_alert"]).lower() == "true"
        assert str(telegram.answered[0].get("show_alert", "false")).lower() == "false"
        assert len(telegram.sent) == 2
    finally:
        worker.stop()
        telegram.stop()


def test_hosts_checked_by_the_app_are_a_group_of_their_own(app):
    with app.app_context():
        run_in_transaction(lambda: hosts.add_builtin("icmp", "127.0.0.1", 0, "Server lokal"))
    (reply,) = ask(app, "/ping")
    groups = callbacks(reply)
    assert [text for text, _ in groups] == ["🖧 utama", "🖧 Cek bawaan (ICMP/TCP)"]
    _, (menu,) = press(app, groups[1][1])
    (local,) = callbacks(menu)
    assert local[0].endswith("Server lokal (127.0.0.1)")
    _, replies = press(app, local[1])
    assert "Ping 127.0.0.1 (Server lokal)" in replies[0].text and "Cek bawaan (ICMP)" in replies[0].text
