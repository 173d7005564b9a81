"""Outage -> job: an outage that lasts NETMON_TICKET_AFTER_SECONDS opens a report through
the report service (tracking number, the "jaringan" category, routing to its team, the
office), named in Telegram, worked by a TBO, finished by the recovery. Over a loopback
router, Fonnte and Telegram."""

import threading
from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import Event, Host, Monitoring, Outbox, Penugasan, Track
from app.netmon import poller, tickets
from tests.conftest import DERY, NIKOLAI, drain, login, reset_database, send_wa
from tests.netmon_helpers import BOT_TOKEN, CHATS, add_router
from tests.peers.routeros import FakeRouter
from tests.peers.telegram import FakeTelegram

SISWANTO = "6282124603757"  # TBO ADM04


@pytest.fixture
def router():
    peer = FakeRouter().start()
    long_ago = peer.now() - timedelta(hours=3)
    peer.add_host("10.0.0.1", "up", "Kecamatan Waru", since=long_ago)
    peer.add_host("10.0.0.2", "up", "Kecamatan Balongbendo", since=long_ago)
    peer.add_host("10.0.0.3", "up", "Desa Kedung", since=long_ago)
    yield peer
    peer.stop()


@pytest.fixture
def telegram():
    peer = FakeTelegram(BOT_TOKEN).start()
    yield peer
    peer.stop()


@pytest.fixture
def settings(fonnte, telegram):
    return dict(
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=fonnte.token,
        FONNTE_API_URL=fonnte.url,
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL=telegram.base_url,
        TELEGRAM_ADMIN_CHAT_IDS=CHATS,
        NETMON_ROUTER_TIMEOUT=1,
        NETMON_TICKET_AFTER_SECONDS=300,
    )


def make(app_factory, router, settings, **overrides):
    app = app_factory(**{**settings, **overrides})
    reset_database(app)
    add_router(app, router)
    result = app.test_cli_runner().invoke(
        args=[
            "kategori",
            "add",
            "Jaringan",
            "--kata",
            "wifi,internet,jaringan",
            "--petugas",
            "siswanto",
            "--otomatis",
        ]
    )
    assert result.exit_code == 0, result.output
    poll(app)  # learns the hosts, all up
    return app


@pytest.fixture
def app(app_factory, router, settings):
    return make(app_factory, router, settings)


def poll(app):
    with app.app_context():
        return poller.poll_all(app.config)


def minutes_ago(router, minutes):
    return router.now() - timedelta(minutes=minutes)


def reports(app):
    with app.app_context():
        return db.session.query(Monitoring).order_by(Monitoring.idm).all()


def lines(app, idm):
    with app.app_context():
        return [t.catatan for t in db.session.query(Track).filter_by(idm=idm).order_by(Track.id)]


def whatsapp(fonnte, to):
    return [m["message"] for m in fonnte.received if m["target"] == to]


def test_an_outage_past_the_threshold_opens_one_routed_report_named_in_telegram(
    app, router, fonnte, telegram
):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 6))
    poll(app)
    poll(app)

    (report,) = reports(app)
    assert (report.nama_pelapor, report.profil_pelapor, report.telepon) == ("Monitor Jaringan", "Sistem", "")
    assert report.id_track.startswith("BRT")
    assert report.pesan.startswith("Gangguan jaringan: Kecamatan Waru (10.0.0.1) tidak terjangkau sejak ")
    assert report.pesan.endswith("Dipantau: router utama.")
    with app.app_context():
        start = clock.to_local(db.session.query(Event).filter_by(status_baru="down").one().waktu)
        assert f"pukul {start:%H:%M} WIB" in report.pesan
        assert db.session.query(Event).filter_by(status_baru="down").one().idm == report.idm
        assert [p.id_admin for p in db.session.query(Penugasan).filter_by(idm=report.idm)] == ["ADM04"]
    assert report.status == "Proses"

    drain(app)
    (assigned,) = whatsapp(fonnte, SISWANTO)
    assert report.id_track in assigned and "Penugasan otomatis kategori Jaringan" in assigned
    assert "Pelapor: Monitor Jaringan (Sistem)" in assigned
    for office in (DERY, NIKOLAI):
        assert any(report.id_track in text for text in whatsapp(fonnte, office))
    assert all(m["target"] for m in fonnte.received)
    with app.app_context():
        assert db.session.query(Outbox).filter(Outbox.tujuan == "").count() == 0

    to_admin = [m["text"] for m in telegram.wait_for(2, chat_id=CHATS[0])]
    assert "DOWN" in to_admin[0] and "Kecamatan Waru" in to_admin[0]
    assert f"Laporan {report.id_track}" in to_admin[1] and "Ditugaskan ke: Siswanto" in to_admin[1]

    page = login(app.test_client(), "nikolai")
    assert report.id_track in page.get("/laporan").get_data(as_text=True)
    shown = page.get(f"/laporan/{report.id_track}").get_data(as_text=True)
    assert "Monitor Jaringan" in shown
    assert "Pesan lain dari pelapor" not in shown  # no reporter's number to look through


def test_the_report_opens_once_the_outage_lasts_long_enough(app, router, telegram):
    router.set_status("10.0.0.2", "down", at=minutes_ago(router, 1))
    poll(app)
    assert reports(app) == []
    with app.app_context():  # four minutes later
        event = db.session.query(Event).filter_by(status_baru="down").one()
        event.waktu -= timedelta(minutes=5)
        db.session.commit()
    poll(app)
    (report,) = reports(app)
    drain(app)
    texts = [m["text"] for m in telegram.wait_for(2, chat_id=CHATS[0])]
    assert "DOWN" in texts[0] and report.id_track not in texts[0]
    assert f"Laporan {report.id_track}" in texts[1] and "Balongbendo" in texts[1]


def test_a_short_outage_opens_nothing(app, router):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 2))
    poll(app)
    router.set_status("10.0.0.1", "up")
    poll(app)
    assert reports(app) == []


def test_zero_turns_it_off(app_factory, router, settings):
    app = make(app_factory, router, settings, NETMON_TICKET_AFTER_SECONDS=0)
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 60))
    poll(app)
    assert reports(app) == []


def test_a_parents_outage_opens_one_report_listing_its_children(app, router):
    with app.app_context():
        hosts = {h.host: h for h in db.session.query(Host)}
        hosts["10.0.0.3"].id_induk = hosts["10.0.0.2"].id_induk = hosts["10.0.0.1"].id_host
        db.session.commit()
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        router.set_status(address, "down", at=minutes_ago(router, 7))
    poll(app)
    poll(app)
    (report,) = reports(app)
    assert "Kecamatan Waru (10.0.0.1)" in report.pesan
    assert "Ikut terdampak: Kecamatan Balongbendo (10.0.0.2), Desa Kedung (10.0.0.3)." in report.pesan

    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        router.set_status(address, "up")
    poll(app)
    (report,) = reports(app)
    assert report.status == "Selesai"
    assert [line for line in lines(app, report.idm) if "pulih" in line] == [_recovered_line(app, "10.0.0.1")]


def _recovered_line(app, address):
    with app.app_context():
        up = (
            db.session.query(Event)
            .join(Host, Host.id_host == Event.id_host)
            .filter(Host.host == address, Event.status_baru == "up")
            .one()
        )
        at = clock.to_local(up.waktu)
        return f"Jaringan pulih pukul {at:%H:%M} WIB setelah {up.durasi // 60} menit"


def test_a_tbo_works_it_meanwhile_and_the_recovery_finishes_it(app, router, fonnte):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 12))
    poll(app)
    (report,) = reports(app)
    client = app.test_client()
    send_wa(client, f"#start {report.id_track}", sender=SISWANTO)
    send_wa(client, f"#report {report.id_track} kabel fiber putus, sedang disambung", sender=SISWANTO)
    assert "kabel fiber putus, sedang disambung" in lines(app, report.idm)

    router.set_status("10.0.0.1", "up")
    poll(app)
    poll(app)
    (report,) = reports(app)
    assert report.status == "Selesai" and report.waktu_selesai is not None
    assert lines(app, report.idm)[-1] == _recovered_line(app, "10.0.0.1")
    assert _recovered_line(app, "10.0.0.1").endswith("setelah 12 menit")
    with app.app_context():
        (penugasan,) = db.session.query(Penugasan).filter_by(idm=report.idm)
        assert penugasan.status == "Selesai"
        assert db.session.query(Outbox).filter(Outbox.tujuan == "").count() == 0
    drain(app)
    told = whatsapp(fonnte, SISWANTO)
    assert any("dinyatakan selesai: Jaringan pulih" in text for text in told)
    assert all(m["target"] for m in fonnte.received)


def test_a_report_the_tbo_finished_only_gets_the_line(app, router):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 8))
    poll(app)
    (report,) = reports(app)
    send_wa(app.test_client(), f"#finish {report.id_track} router direstart", sender=SISWANTO)
    assert reports(app)[0].status == "Selesai"
    finished_at = reports(app)[0].waktu_selesai

    router.set_status("10.0.0.1", "up")
    poll(app)
    (report,) = reports(app)
    assert (report.status, report.waktu_selesai) == ("Selesai", finished_at)
    assert lines(app, report.idm)[-1] == _recovered_line(app, "10.0.0.1")


def test_a_restarted_worker_does_not_open_a_second_report(app, app_factory, router, settings):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 6))
    poll(app)
    assert len(reports(app)) == 1
    again = app_factory(**settings)  # the worker after a restart, the outage still on
    poll(again)
    poll(again)
    assert len(reports(again)) == 1


def test_two_workers_at_once_open_one_report(app, app_factory, router, settings):
    router.set_status("10.0.0.1", "down", at=minutes_ago(router, 6))
    with app.app_context():  # the outage recorded, not yet opened
        poller.poll_all({**app.config, "NETMON_TICKET_AFTER_SECONDS": 0})
    opened = []

    def worker():
        other = app_factory(**settings)
        with other.app_context():
            opened.extend(tickets.open_due(other.config))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1 and len(reports(app)) == 1


@pytest.mark.parametrize(
    "seconds, said",
    [
        (40, "40 detik"),
        (725, "12 menit"),
        (3600, "1 jam"),
        (3930, "1 jam 5 menit"),
        (90059, "1 hari 1 jam"),
    ],
)
def test_the_recovery_line_says_the_downtime_in_whole_minutes(seconds, said):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.reporting import texts

    at = datetime(2026, 11, 30, 10, 42, 7, tzinfo=ZoneInfo("Asia/Makassar"))
    assert texts.network_recovered_line(at, seconds) == f"Jaringan pulih pukul 10:42 WITA setelah {said}"


def test_nothing_is_queued_for_an_empty_number(app):
    from app.messaging import outbox

    with app.app_context():
        assert outbox.enqueue("", "untuk siapa?") is None
        db.session.commit()
        assert db.session.query(Outbox).filter(Outbox.tujuan == "").count() == 0
