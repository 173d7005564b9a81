"""The Telegram menu: each command's answer, read from a loopback router."""

import pytest

from app.netmon import bot, poller
from tests.conftest import reset_database
from tests.netmon_helpers import CHATS, add_router, branch_router, telegram_queue
from tests.peers.routeros import FakeRouter


@pytest.fixture
def router():
    with branch_router(second="down", ping=2) as peer:
        yield peer


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1)
    reset_database(app)
    add_router(app, router)
    with app.app_context():
        poller.poll_all(app.config)
    return app


def ask(app, text):
    with app.app_context():
        return "\n\n".join(r.text for r in bot.answer(text, "Admin"))


@pytest.mark.parametrize(
    "command, expected",
    [
        ("/help", ["/monitor", "/ping &lt;host&gt;", "/neighbor"]),
        (
            "/monitor",
            ["Router utama", "🟢 Kecamatan Waru", "🔴 Kecamatan Balongbendo", "Total: 1 up, 1 down"],
        ),
        (
            "/ping 10.0.0.1",
            ["Ping 10.0.0.1 (Kecamatan Waru)", "Terkirim: 4, diterima: 4, loss: 0%", "RTT", "UP"],
        ),
        ("/ping 10.0.0.9", ["diterima: 0, loss: 100%", "Timeout (RTO)"]),
        ("/dhcp", ["DHCP Lease", "192.168.88.10", "laptop-kasi", "bound"]),
        ("/address", ["192.168.88.1/24", "ether2"]),
        ("/pool", ["dhcp_pool1", "192.168.88.10-192.168.88.254"]),
        ("/traffic", ["Traffic ether1", "Rx: 12,5 Mbps", "Tx: 3,2 Mbps"]),
        ("/traffic ether2", ["Traffic ether2", "Rx: 880,0 kbps"]),
        ("/interface", ["ether1 (ether) 🟢 terhubung — WAN", "ether3 (ether) 🚫 nonaktif"]),
        ("/dns", ["Server: 8.8.8.8,1.1.1.1", "Cache terpakai: 31KiB"]),
        ("/neighbor", ["Kecamatan-Waru", "172.16.0.1", "RB951Ui-2HnD"]),
        ("/DHCP@MonitoringSDA_bot utama", ["DHCP Lease</b> — utama"]),
        ("/apa", ["Perintah tidak dikenal"]),
        ("/traffic ether9", ["Perintah gagal", "no such item"]),
        ("/ping " + "a" * 5000, ["Nama host atau interface terlalu panjang (maksimal 255 karakter)."]),
    ],
)
def test_each_command_answers_from_the_router(app, command, expected):
    answer = ask(app, command)
    for part in expected:
        assert part in answer


def test_menu_is_an_inline_keyboard_of_the_commands(app):
    (reply,) = _menu(app)
    data = [b["callback_data"] for row in reply.keyboard["reply_markup"]["inline_keyboard"] for b in row]
    assert data == [
        f"cmd:{c}"
        for c in (
            "monitor",
            "ping",
            "dhcp",
            "address",
            "pool",
            "traffic",
            "interface",
            "dns",
            "neighbor",
            "help",
        )
    ]


def _menu(app):
    with app.app_context():
        return bot.answer("/menu")


def test_an_unreachable_router_is_said_in_words(app, router):
    router.stop()
    assert "Router utama tidak dapat dihubungi" in ask(app, "/dhcp")


def test_a_router_name_picks_among_several(app, app_factory):
    other = FakeRouter().start()
    try:
        other.tables["/ip/pool"] = [{".id": "*1", "name": "pool_cabang", "ranges": "10.9.0.2-10.9.0.254"}]
        add_router(app, other, nama="cabang")
        assert "pool_cabang" in ask(app, "/pool cabang")
        assert "dhcp_pool1" in ask(app, "/pool utama")
    finally:
        other.stop()


def test_ping_without_a_router_uses_the_built_in_check(app_factory):
    app = app_factory()
    reset_database(app)
    assert "Ping 127.0.0.1" in ask(app, "/ping 127.0.0.1")


def test_ack_is_told_to_every_admin_once(app):
    alerted = len(telegram_queue(app))  # 10.0.0.2 was down when first seen
    assert ask(app, "/ack 10.0.0.2") == ""  # told to every allowed chat instead
    told = telegram_queue(app)[alerted:]
    assert [chat for chat, _ in told] == CHATS and "diakui oleh Admin" in told[0][1]
    assert "diakui oleh Admin" in ask(app, "/ack Kecamatan Balongbendo")
    assert len(telegram_queue(app)) == alerted + len(CHATS)
    assert "tidak sedang down" in ask(app, "/ack 10.0.0.1")
    assert "tidak dikenal" in ask(app, "/ack 10.9.9.9")


def test_a_long_table_is_split_between_lines_under_telegrams_limit(app, router):
    router.tables["/ip/dhcp-server/lease"] = [
        {
            "address": f"192.168.{n // 250}.{n % 250}",
            "host-name": f"perangkat-{n:04d}",
            "status": "bound",
            "mac-address": "AA:BB:CC:DD:EE:FF",
        }
        for n in range(400)
    ]
    with app.app_context():
        replies = bot.answer("/dhcp")
    assert len(replies) > 1 and all(len(r.text) <= 4000 for r in replies)
    lines = [line for r in replies for line in r.text.splitlines()]
    assert sum("perangkat-" in line for line in lines) == 400
