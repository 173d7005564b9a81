"""Every Excel export writes text from outside as text: never a formula, never a live link."""

import io

import openpyxl
import pytest

from app.extensions import db
from app.models import Host, Monitoring
from app.netmon import poller
from tests.conftest import STRANGER, login, reset_database, send_wa
from tests.netmon_helpers import add_router, outage
from tests.peers.routeros import FakeRouter
from tests.workbooks import book_of, table

HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "=1+1", "+1", "-1", "@SUM(A1)"]


def cells(response, sheet):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return [cell for row in book[sheet].iter_rows(min_row=2) for cell in row]


def assert_text(cells, text):
    found = [cell for cell in cells if cell.value == text]
    assert found, f"{text!r} not in the sheet"
    assert all(cell.data_type == "s" for cell in found), [cell.data_type for cell in found]


def test_no_message_becomes_a_formula_in_the_report_and_incoming_exports(app, client):
    for text in HOSTILE:
        assert send_wa(client, f"#request {text}", sender=STRANGER, name=text).status_code == 200
        assert send_wa(client, text).status_code == 200
    login(client, "nikolai")
    reports = cells(client.get("/laporan/export.xlsx"), "Laporan")
    incoming = cells(client.get("/wa-masuk/export.xlsx"), "WA Masuk")
    for text in HOSTILE:
        assert_text(reports, text)
        assert_text(incoming, text)
    assert not any(cell.hyperlink for cell in reports + incoming)


def test_the_search_shown_in_the_summary_is_text(app, client):
    send_wa(client, "#request =1+1")
    login(client, "nikolai")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan/export.xlsx?q=%3D1%2B1").data))
    summary = [cell for row in book["Ringkasan"].iter_rows() for cell in row]
    assert_text(summary, "=1+1")


@pytest.fixture
def hostile_router():
    peer = FakeRouter().start()
    for number, comment in enumerate(HOSTILE, start=1):
        peer.add_host(f"10.0.0.{number}", "up", comment)
    yield peer
    peer.stop()


def test_no_router_comment_becomes_a_formula_in_the_outage_export(app_factory, hostile_router):
    app = app_factory()
    reset_database(app)
    add_router(app, hostile_router, nama="=1+1")
    with app.app_context():
        poller.poll_all(app.config)
        assert {h.komentar for h in db.session.query(Host)} == set(HOSTILE)
    outage(app, hostile_router)
    client = app.test_client()
    login(client, "admin")
    rows = cells(client.get("/netmon/riwayat.xlsx"), "Gangguan")
    assert_text(rows, HOSTILE[0])
    assert_text(rows, "=1+1")


def _made_line(app):
    from app import clock
    from app.reporting.dates import tanggal_panjang

    with app.app_context():
        return f"dibuat {tanggal_panjang(clock.local_now())}"


def test_every_export_begins_with_the_letterhead_title_and_period(app, client):
    send_wa(client, "#request lampu aula mati")
    send_wa(client, "#help")
    login(client, "admin")
    client.post(
        "/pengaturan/kop-surat",
        data={"kop_institusi": "Institut Sains dan Teknologi Nasional", "kop_unit": "=Biro Rumah Tangga"},
    )
    reports = book_of(client.get("/laporan/export.xlsx?dari=2026-01-01&sampai=2026-12-31"))["Laporan"]
    heading, header, rows = table(reports)
    assert heading[:3] == [
        "Institut Sains dan Teknologi Nasional",
        "=Biro Rumah Tangga",
        "Data Monitoring BRT",
    ]
    assert heading[3].startswith("Periode 1 Januari 2026 s.d. 31 Desember 2026 · " + _made_line(app))
    assert reports["A2"].data_type == "s"  # a setting that looks like a formula stays text
    assert reports.freeze_panes == "A7"
    assert table(book_of(client.get("/laporan/export.xlsx"))["Laporan"])[0][3].startswith("Semua tanggal")

    incoming = table(book_of(client.get("/wa-masuk/export.xlsx?q=help"))["WA Masuk"])
    assert incoming[0][2] == "Pesan WhatsApp Masuk"
    assert incoming[0][3].startswith(f'Pencarian "help" · {_made_line(app)} pukul ')
    assert [row[4] for row in incoming[2]] == ["#help"]


def test_the_outage_export_has_the_same_heading(app_factory, hostile_router):
    app = app_factory()
    reset_database(app)
    add_router(app, hostile_router)
    with app.app_context():
        poller.poll_all(app.config)
    outage(app, hostile_router)
    client = app.test_client()
    login(client, "admin")
    heading, header, rows = table(book_of(client.get("/netmon/riwayat.xlsx"))["Gangguan"])
    assert heading[:3] == ["ISTN", "Layanan BRT ISTN", "Laporan gangguan jaringan"]
    assert heading[3].startswith("Periode ") and header[:2] == ("No", "Host") and rows


def test_the_report_export_has_respon_ts_and_a_link_to_the_photo(app, client):
    with_photo = send_wa(client, "#request keran bocor").json["id_track"]
    avatar = send_wa(client, "#request dari PHP").json["id_track"]
    hostile = send_wa(client, "#request nama berkas aneh").json["id_track"]
    send_wa(client, "#request tanpa foto")
    with app.app_context():
        for id_track, gambar in (
            (with_photo, "uploads/2026/11/0123abcd.jpg"),
            (avatar, "avatar.jpg"),  # what the PHP system stores for no photo
            (hostile, '=HYPERLINK("http://evil.example","klik")'),
        ):
            db.session.query(Monitoring).filter_by(id_track=id_track).update({"gambar": gambar})
        db.session.commit()
    login(client, "nikolai")
    sheet = book_of(client.get("/laporan/export.xlsx?sort=terlama"))["Laporan"]
    _heading, header, rows = table(sheet)
    assert header[-3:] == ("TS", "Respon", "Gambar")
    by_track = {row[3]: row for row in rows}
    assert all(row[-3] == "H0" for row in rows)
    assert with_photo in by_track[with_photo][-2] and "Terimakasih" in by_track[with_photo][-2]
    link = "http://localhost/berkas/uploads/2026/11/0123abcd.jpg"
    assert by_track[with_photo][-1] == link
    assert by_track[avatar][-1] is None and by_track[hostile][-1] is None
    links = [cell for row in sheet.iter_rows() for cell in row if cell.hyperlink]
    assert [(cell.hyperlink.target, cell.data_type) for cell in links] == [(link, "s")]
