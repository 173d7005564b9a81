"""Every Excel export writes text from outside as text: never a formula, never a live link."""

import io

import openpyxl
import pytest

from app.extensions import db
from app.models import Host
from app.netmon import poller
from tests.conftest import STRANGER, login, reset_database, send_wa
from tests.netmon_helpers import add_router, outage
from tests.peers.routeros import FakeRouter

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
