"""Each router's own clock, over the loopback router: routers in UTC, WIB and WITA with
both forms of `since`, a clock that is off, and uptime computed from the stored events."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Event, Host, Router
from app.netmon import bot, poller
from tests.conftest import login, reset_database
from tests.netmon_helpers import CHATS, add_router, telegram_queue
from tests.peers.routeros import FakeRouter

ZONES = ["UTC", "Asia/Jakarta", "Asia/Makassar"]
STYLES = ["v6", "v7"]


@pytest.fixture
def make(app_factory):
    """make(zone, style, **settings) -> (app, router peer): a router whose clock is in `zone`."""
    peers = []

    def build(zone="Asia/Jakarta", style="v7", **settings):
        peer = FakeRouter(timezone=zone, since_style=style).start()
        peers.append(peer)
        peer.add_host("10.0.0.1", "up", "Kecamatan Waru", since=peer.now() - timedelta(hours=3))
        app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1, **settings)
        reset_database(app)
        add_router(app, peer)
        poll(app)
        with app.app_context():
            # Watched for days: the windows of the uptime figures are all inside its life.
            db.session.query(Host).update(
                {Host.dibuat: datetime.now(UTC).replace(tzinfo=None) - timedelta(days=3)}
            )
            db.session.commit()
        return app, peer

    yield build
    for peer in peers:
        peer.stop()


def poll(app):
    with app.app_context():
        return poller.poll_all(app.config)


def utc_of(peer, local):
    """The true moment (naive UTC) of a time on the router's clock."""
    return (local - peer.clock_skew).replace(tzinfo=peer.zone).astimezone(UTC).replace(tzinfo=None)


def host_events(app):
    with app.app_context():
        return [
            (e.status_baru, e.waktu)
            for e in db.session.query(Event).filter(Event.jenis == "host").order_by(Event.id_event)
        ]


def router_row(app):
    with app.app_context():
        row = db.session.query(Router).one()
        db.session.expunge(row)
        return row


def clock_reads(peer):
    return peer.commands.count("/system/clock/print")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("zone", ZONES)
def test_since_is_read_in_the_routers_own_zone_and_told_in_timezone(make, zone, style):
    app, peer = make(zone, style)
    row = router_row(app)
    assert row.zona_waktu == zone and abs(row.selisih_jam) <= 2
    went_down = peer.now().replace(microsecond=0) - timedelta(minutes=4)
    peer.set_status("10.0.0.1", "down", at=went_down)
    poll(app)
    true_moment = utc_of(peer, went_down)
    assert host_events(app) == [("down", true_moment)]
    alert = telegram_queue(app)[0][1]
    wib = true_moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Jakarta"))
    assert f"{wib:%H:%M:%S} WIB" in alert
    with app.app_context():
        answer = "\n".join(r.text for r in bot.answer("/monitor", "Admin"))
    assert "DOWN 4 menit" in answer


@pytest.mark.parametrize("zone", ZONES)
def test_a_host_down_79_seconds_in_the_last_hour_is_97_8_percent_up(make, zone):
    app, peer = make(zone, "v6" if zone == "UTC" else "v7")
    down = peer.now().replace(microsecond=0) - timedelta(minutes=10)
    peer.set_status("10.0.0.1", "down", at=down)
    poll(app)
    peer.set_status("10.0.0.1", "up", at=down + timedelta(seconds=79))
    poll(app)
    html = login(app.test_client()).get("/netmon/uptime").get_data(as_text=True)
    assert "<th>1 jam</th>" in html and "97.81%" in html
    with app.app_context():
        answer = "\n".join(r.text for r in bot.answer("/monitor", "Admin"))
    assert "uptime 97.8% (1 jam), 99.9% (24 jam)" in answer
    assert "UP 8 menit" in answer


def test_an_ongoing_outage_counts_up_to_now_and_one_begun_earlier_is_clipped(make):
    app, peer = make("Asia/Makassar")
    peer.set_status("10.0.0.1", "down", at=peer.now() - timedelta(hours=2))
    poll(app)
    with app.app_context():
        answer = "\n".join(r.text for r in bot.answer("/monitor", "Admin"))
    assert "uptime 0.0% (1 jam), 91.7% (24 jam)" in answer
    html = login(app.test_client()).get("/netmon/uptime").get_data(as_text=True)
    assert "0.00%" in html and "91.67%" in html


def test_a_clock_far_off_is_said_once_and_the_servers_time_is_used(make):
    app, peer = make("UTC")
    peer.clock_skew = timedelta(hours=7)  # set by hand to the local hour, zone left on UTC
    with app.app_context():
        db.session.query(Router).update({Router.jam_dibaca: datetime(2026, 1, 1)})  # an hour is up
        db.session.commit()
    before = datetime.now(UTC).replace(tzinfo=None)
    poll(app)
    peer.set_status("10.0.0.1", "down")  # its `since` is 7 hours ahead
    poll(app)
    poll(app)
    after = datetime.now(UTC).replace(tzinfo=None)
    told = [text for chat, text in telegram_queue(app) if chat == CHATS[0]]
    assert (
        len(told) == 2
        and "Jam router tidak tepat" in told[0]
        and "7 jam lebih cepat dari jam server" in told[0]
    )
    ((status, at),) = host_events(app)
    assert status == "down" and before <= at <= after
    html = login(app.test_client()).get("/netmon/router").get_data(as_text=True)
    assert "clock-off" in html and "7 jam lebih cepat dari jam server" in html
    assert "waktu kejadian memakai jam server" in html

    peer.clock_skew = timedelta()  # NTP on: believed again at the next reading, nothing more said
    with app.app_context():
        db.session.query(Router).update({Router.jam_dibaca: datetime(2026, 1, 1)})
        db.session.commit()
    poll(app)
    row = router_row(app)
    assert abs(row.selisih_jam) <= 2 and not row.jam_dikabarkan
    assert len(telegram_queue(app)) == 2 * len(CHATS)
    assert "clock-off" not in login(app.test_client()).get("/netmon/router").get_data(as_text=True)


def test_the_clock_is_read_on_connecting_and_hourly(make):
    app, peer = make("Asia/Jakarta")
    assert clock_reads(peer) == 1
    poll(app)
    poll(app)
    assert clock_reads(peer) == 1
    with app.app_context():
        row = db.session.query(Router).one()
        row.jam_dibaca -= timedelta(minutes=61)
        db.session.commit()
    poll(app)
    assert clock_reads(peer) == 2
    port = peer.port
    peer.stop()
    poll(app)  # lost
    back = FakeRouter(port=port, timezone="Asia/Makassar").start()
    try:
        back.add_host("10.0.0.1", "up", "Kecamatan Waru")
        poll(app)  # connected again: read at once, and it moved to WITA meanwhile
        assert clock_reads(back) == 1
        assert router_row(app).zona_waktu == "Asia/Makassar"
    finally:
        back.stop()


def test_a_router_user_that_may_not_read_the_clock_is_polled_on_server_time(make):
    app, peer = make("UTC")
    peer.clock_row = lambda: (_ for _ in ()).throw(LookupError("not enough permissions (9)"))
    with app.app_context():
        db.session.query(Router).update({Router.jam_dibaca: datetime(2026, 1, 1)})
        db.session.commit()
    before = datetime.now(UTC).replace(tzinfo=None)
    peer.set_status("10.0.0.1", "down", at=peer.now() - timedelta(hours=5))
    poll(app)
    row = router_row(app)
    assert row.status == "up" and row.selisih_jam is None
    ((status, at),) = host_events(app)
    assert status == "down" and at >= before


def test_timezone_is_named_on_pages_excel_print_and_telegram(make):
    app, peer = make("Asia/Jakarta", TIMEZONE="Asia/Makassar")
    down = peer.now().replace(microsecond=0) - timedelta(minutes=30)
    peer.set_status("10.0.0.1", "down", at=down)
    poll(app)
    peer.set_status("10.0.0.1", "up", at=down + timedelta(minutes=12))
    poll(app)
    wita = utc_of(peer, down).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Makassar"))
    assert f"{wita:%H:%M:%S} WITA" in telegram_queue(app)[0][1]
    client = login(app.test_client())
    assert f"{wita:%H:%M:%S} WITA" in client.get("/netmon/riwayat").get_data(as_text=True)
    printed = client.get("/netmon/riwayat/cetak").get_data(as_text=True)
    assert f"{wita:%H:%M:%S} WITA" in printed and " Wita oleh " in printed
    assert " WITA)" in client.get("/netmon/").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/netmon/riwayat.xlsx").data))
    sheet = book["Gangguan"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Mulai down (WITA)" in texts and "Pulih (WITA)" in texts
    assert any("Wita" in t for t in texts if t.startswith("Periode"))
    started = next(c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, datetime))
    assert started == wita.replace(tzinfo=None)
    stamp = dict((row[0].value, row[1].value) for row in book["Ringkasan"].iter_rows(min_row=3))["Dibuat"]
    now_wita = datetime.now(ZoneInfo("Asia/Makassar"))
    assert stamp.endswith(" WITA") and f"{now_wita:%H:}" in stamp
