"""The panel's network pages: routers, hosts, history, uptime, exports, Telegram chats."""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app import clock
from app.extensions import db
from app.models import Host, Router, TelegramChat
from app.netmon import chats, passwords, poller
from tests.conftest import login, reset_database
from tests.netmon_helpers import CHATS, add_router, branch_router, outage
from tests.workbooks import table


@pytest.fixture
def router():
    with branch_router() as peer:
        yield peer


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS)
    reset_database(app)
    add_router(app, router)
    with app.app_context():
        poller.poll_all(app.config)
    return app


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_visitor_is_sent_to_login(client):
    assert "/login" in client.get("/netmon/").headers["Location"]


def test_hosts_show_their_live_state(app, client, router):
    router.set_status("10.0.0.2", "down")
    with app.app_context():
        poller.poll_all(app.config)
    html = page(login(client), "/netmon/")
    assert "Kecamatan Balongbendo" in html and "state-down" in html and "state-up" in html
    assert 'http-equiv="refresh"' in html


def test_staf_sees_the_pages_but_cannot_manage_routers(app, client):
    login(client, "nikolai")
    for url in ("/netmon/", "/netmon/router", "/netmon/riwayat", "/netmon/uptime", "/netmon/telegram"):
        page(client, url)
    assert client.get("/netmon/router/baru").status_code == 403
    assert client.post("/netmon/router/1/hapus").status_code == 403


def test_the_administrator_adds_a_router_whose_password_is_kept_secret(app, client, router):
    login(client)
    form = dict(
        nama="cabang", host="127.0.0.1", port=router.port, username="admin", password="rahasia", aktif="y"
    )
    assert client.post("/netmon/router/baru", data=form).status_code == 302
    with app.app_context():
        row = db.session.query(Router).filter_by(nama="cabang").one()
        assert row.password != "rahasia" and passwords.unseal(row.password) == "rahasia"
        id_router = row.id_router
    html = page(client, f"/netmon/router/{id_router}")
    assert "rahasia" not in html, html[html.find("rahasia") - 200 : html.find("rahasia") + 50]
    assert passwords.MASK in html
    form.update(password=passwords.MASK, host="localhost")
    client.post(f"/netmon/router/{id_router}", data=form)
    with app.app_context():
        row = db.session.get(Router, id_router)
        assert row.host == "localhost" and passwords.unseal(row.password) == "rahasia"


def test_a_duplicate_router_name_is_refused(app, client, router):
    login(client)
    form = dict(nama="utama", host="127.0.0.1", port=router.port, username="admin", password="x")
    assert "Nama router sudah dipakai" in client.post("/netmon/router/baru", data=form).get_data(as_text=True)


def test_test_connection_says_what_it_found(app, client):
    login(client)
    with app.app_context():
        id_router = db.session.query(Router).one().id_router
    html = client.post(f"/netmon/router/{id_router}/tes", follow_redirects=True).get_data(as_text=True)
    assert "Terhubung ke &#39;MikroTik-Loopback&#39;, 2 entri Netwatch." in html


def test_host_settings_parent_maintenance_and_reminders(app, client):
    login(client)
    with app.app_context():
        waru, bendo = (
            db.session.query(Host).filter_by(host=h).one().id_host for h in ("10.0.0.1", "10.0.0.2")
        )
    with app.app_context():
        start = clock.local_now().replace(tzinfo=None)
    form = {
        "id_induk": waru,
        "pemeliharaan_mulai": start.strftime("%Y-%m-%dT%H:%M"),
        "pemeliharaan_selesai": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "ulang_menit": 30,
    }
    assert client.post(f"/netmon/host/{bendo}", data=form).status_code == 302
    with app.app_context():
        host = db.session.get(Host, bendo)
        assert (host.id_induk, host.ulang_menit) == (waru, 30)
        assert host.pemeliharaan_selesai - host.pemeliharaan_mulai == timedelta(hours=2)
    form["pemeliharaan_selesai"] = ""
    assert "Isi mulai dan selesai" in client.post(f"/netmon/host/{bendo}", data=form).get_data(as_text=True)


def test_the_history_lists_outages_and_prints_and_exports(app, client, router):
    outage(app, router)
    login(client)
    html = page(client, "/netmon/riwayat")
    assert "Kecamatan Waru" in html and "42 menit" in html
    printed = page(client, "/netmon/riwayat/cetak")
    assert "Laporan gangguan jaringan" in printed and "window.print()" in printed and "42 menit" in printed
    response = client.get("/netmon/riwayat.xlsx")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data))["Gangguan"]
    rows = table(sheet)[2]
    assert rows[0][1:4] == ("10.0.0.1", "Kecamatan Waru", "utama") and rows[0][7] == 42 * 60


@pytest.mark.parametrize("path", ["/netmon/riwayat", "/netmon/riwayat/cetak", "/netmon/riwayat.xlsx"])
@pytest.mark.parametrize(
    "query, dari, sampai",
    [
        ("sampai=9999-12-31", None, "9998-12-31"),
        ("dari=0001-01-01", "2000-01-01", None),
        ("dari=0001-01-01&sampai=9999-12-31", "2000-01-01", "9998-12-31"),
        ("dari=9999-12-31&sampai=0001-01-01", "2000-01-01", "9998-12-31"),
    ],
)
def test_the_history_holds_edge_dates_to_a_sane_range(app, client, router, path, query, dari, sampai):
    """The day after 9999-12-31 (and 0001-01-01 in UTC) does not exist: this was a 500."""
    outage(app, router)
    response = login(client, "nikolai").get(f"{path}?{query}")

    assert response.status_code == 200
    if path == "/netmon/riwayat":
        html = response.get_data(as_text=True)
        for name, value in (("dari", dari), ("sampai", sampai)):
            if value:
                assert f'name="{name}" value="{value}"' in html
        assert "Kecamatan Waru" in html


def test_uptime_and_the_chart_of_outages_per_day(app, client, router):
    outage(app, router, minutes=144)  # 10% of a day
    html = page(login(client), "/netmon/uptime")
    assert '<canvas id="chart-gangguan"' in html and "vendor/chart.umd.js" in html
    assert "90.00%" in html and "96.67%" in html
    per_day = dict(re.findall(r'data-day="([^"]+)">[^<]+</td><td>(\d+)</td>', html))
    with app.app_context():
        # An outage is counted on the day it began, which is yesterday shortly after midnight.
        began = (clock.local_now() - timedelta(minutes=144)).date().isoformat()
    assert len(per_day) == 30 and per_day.pop(began) == "1"
    assert set(per_day.values()) == {"0"}


def test_the_administrator_allows_a_refused_chat(app, client):
    with app.app_context():
        chats.note_refused("777", "Orang Baru", "/monitor")
        db.session.commit()
    login(client)
    assert "Orang Baru" in page(client, "/netmon/telegram")
    client.post("/netmon/telegram/777/diizinkan")
    with app.app_context():
        assert db.session.get(TelegramChat, "777").status == "diizinkan" and chats.is_allowed("777")


def test_a_built_in_check_host_is_added_from_the_panel(app, client):
    login(client)
    client.post(
        "/netmon/host/baru", data={"sumber": "tcp", "host": "127.0.0.1", "port": 22, "komentar": "SSH"}
    )
    with app.app_context():
        host = db.session.query(Host).filter_by(sumber="tcp").one()
        assert (host.host, host.port, host.komentar, host.id_router) == ("127.0.0.1", 22, "SSH", None)


def test_deleting_a_router_takes_its_hosts_and_history(app, client, router):
    outage(app, router)
    login(client)
    with app.app_context():
        id_router = db.session.query(Router).one().id_router
    assert client.post(f"/netmon/router/{id_router}/hapus").status_code == 302
    with app.app_context():
        assert db.session.query(Host).count() == 0
        assert db.session.query(Router).count() == 0


@pytest.mark.parametrize(
    "url, form, message",
    [
        ("/netmon/telegram", {"chat_id": "-100123", "nama": "x" * 101}, "Paling banyak 100 karakter."),
        (
            "/netmon/router/baru",
            {"nama": "cabang", "host": "10.0.0.9", "port": "abc", "username": "a"},
            "Harus bilangan bulat.",
        ),
        ("/netmon/host/baru", {"sumber": "tcp", "host": "10.0.0.9", "port": "99999"}, "Port 0-65535"),
    ],
)
def test_a_refused_network_form_says_why_in_indonesian(app, client, url, form, message):
    login(client)
    html = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert message in html
    assert not re.search(r"Field|Not a valid|Number must", html)
