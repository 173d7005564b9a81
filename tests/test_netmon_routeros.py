"""The RouterOS seam against a loopback router speaking the real API wire protocol."""

import threading
from zoneinfo import ZoneInfo

import pytest

from app.netmon import routeros
from tests.peers.certs import server_context
from tests.peers.routeros import FakeRouter, decode_length, encode_length

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def router():
    peer = FakeRouter().start()
    yield peer
    peer.stop()


def target(peer, **kw):
    fields = dict(key="r1", host="127.0.0.1", port=peer.port, username="admin", password="rahasia", timeout=2)
    fields.update(kw)
    return routeros.Target(**fields)


@pytest.mark.parametrize(
    "length", [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000, 0xFFFFFFF, 0x10000000]
)
def test_the_peer_encodes_every_length_form_as_routeros_does(length):
    from routeros_api.base_api import decode_length as library_decode
    from routeros_api.base_api import encode_length as library_encode

    assert encode_length(length) == library_encode(length)
    data = iter(encode_length(length))
    assert decode_length(lambda n: bytes(next(data) for _ in range(n))) == length
    data = iter(encode_length(length))
    assert library_decode(lambda n: bytes(next(data) for _ in range(n))) == length


def test_it_reads_netwatch_with_a_post_643_plaintext_login(router):
    router.add_host("10.0.0.1", "up", "Kecamatan Waru")
    router.add_host("10.0.0.2", "down", "Kecamatan Balongbendo")
    entries = routeros.netwatch(target(router), WIB)
    assert [(e.host, e.status, e.comment) for e in entries] == [
        ("10.0.0.1", "up", "Kecamatan Waru"),
        ("10.0.0.2", "down", "Kecamatan Balongbendo"),
    ]
    assert router.logins == ["plain"]


def test_it_logs_in_to_a_pre_643_router_with_the_challenge():
    peer = FakeRouter(login="challenge").start()
    try:
        peer.add_host("10.0.0.1")
        assert routeros.netwatch(target(peer, key="old"), WIB)[0].host == "10.0.0.1"
        assert peer.logins == ["challenge"]
    finally:
        peer.stop()


def test_it_talks_tls_to_api_ssl(tmp_path):
    peer = FakeRouter(tls=server_context(tmp_path)).start()
    try:
        assert routeros.identity(target(peer, key="tls", tls=True)) == "MikroTik-Loopback"
    finally:
        peer.stop()


def test_a_wrong_password_is_a_refusal_in_words(router):
    with pytest.raises(routeros.RouterRefused, match="Login ke router 127.0.0.1 ditolak"):
        routeros.identity(target(router, key="bad", password="salah"))


def test_an_unknown_command_is_a_trap_and_the_session_is_reopened(router):
    with pytest.raises(routeros.RouterRefused, match="no such command"):
        routeros.rows(target(router), "/tidak/ada")
    assert routeros.identity(target(router)) == "MikroTik-Loopback"


def test_it_keeps_one_connection_per_thread(router):
    for _ in range(3):
        routeros.identity(target(router))
    assert len(router.logins) == 1
    thread = threading.Thread(target=lambda: routeros.identity(target(router)))
    thread.start()
    thread.join()
    assert len(router.logins) == 2


def test_it_reconnects_after_a_fatal(router):
    routeros.identity(target(router))
    router.fatal_next = True
    # The kept session dies with !fatal; the call is made again on a fresh one.
    assert routeros.identity(target(router)) == "MikroTik-Loopback"
    assert len(router.logins) == 2


def test_a_vanished_router_is_an_error_and_is_found_again_when_back(router):
    routeros.identity(target(router))
    port = router.port
    router.stop()
    with pytest.raises(routeros.RouterError, match="Tidak dapat terhubung ke router 127.0.0.1"):
        routeros.identity(target(router))
    again = FakeRouter(port=port).start()
    try:
        assert routeros.identity(target(again)) == "MikroTik-Loopback"
    finally:
        again.stop()


def test_a_silent_router_times_out(router):
    router.delay["/system/identity/print"] = 3
    with pytest.raises(routeros.RouterError, match="waktu habis|timed out"):
        routeros.identity(target(router, key="slow", timeout=0.3))


def test_ping_and_traffic_come_back_as_rows(router):
    router.ping_replies["10.0.0.1"] = 3
    replies = routeros.ping(target(router), "10.0.0.1", count=4)
    assert len(replies) == 4 and replies[-1]["packet-loss"] == "0"
    assert routeros.monitor_traffic(target(router), "ether1")["rx-bits-per-second"] == "12500000"


def test_it_reads_the_routers_clock_in_its_own_zone():
    peer = FakeRouter(timezone="Asia/Makassar", since_style="v6").start()
    try:
        reading = routeros.system_clock(target(peer, key="wita"))
    finally:
        peer.stop()
    assert reading.zone_name == "Asia/Makassar" and reading.offset == 8 * 3600
    assert abs(reading.skew) <= 2
