"""The panel in real Chromium (Debian's package, driven by Playwright): what an admin does.

Set SCREENSHOT_DIR=docs/screenshots to keep pictures of the main pages.
"""

import os
import shutil
import threading
from pathlib import Path

import openpyxl
import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Admin, Pegawai
from tests.conftest import send_wa
from tests.workbooks import table

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="Chromium is not installed (scripts/test.sh installs it)"
)
SISWANTO = "6282124603757"


@pytest.fixture
def live(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the browser path is the same on every database; run once")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_admin_handles_a_report_in_the_browser(app, client, live, browser, tmp_path):
    # The office's categories: one whose reports go to its team at once, one suggested.
    for args in (
        ["Listrik", "--kata", "lampu, listrik", "--petugas", "siswanto,adrasha", "--otomatis"],
        ["Air dan Sanitasi", "--kata", "kran, toilet, wastafel", "--petugas", "adrasha"],
    ):
        assert app.test_cli_runner().invoke(args=["kategori", "add", *args]).exit_code == 0
    for text in ("lampu aula mati", "AC ruang 301 bocor", "kran toilet lantai 2 patah"):
        send_wa(client, f"#request {text}")
    number = send_wa(client, "#request pagar tidak bisa ditutup").json["id_track"]

    # A campus laptop's screen, the width the menu is made to fit.
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page.goto(f"{live}/login")
    shot(page, "login")
    page.fill("#username", "admin")
    page.fill("#password", "sarpras123")
    page.click("button[type=submit]")
    page.wait_for_url("**/beranda")
    page.wait_for_function("() => Chart.getChart('chart-status') && Chart.getChart('chart-month')")
    drawn = page.evaluate(
        "() => ['chart-status','chart-month','chart-durasi','chart-open','chart-kategori']"
        ".filter(id => Chart.getChart(id)).length"
    )
    assert drawn == 5
    shot(page, "beranda")

    page.click("text=Data Monitoring")
    assert page.locator("tr.unread").count() == 4
    shot(page, "data-monitoring")
    page.click(f"a:text('{number}') >> nth=0")
    page.wait_for_url(f"**/laporan/{number}")
    assert "pagar tidak bisa ditutup" in page.inner_text("#pesan")

    page.check("#pj-petugas input[value=ADM04]")
    page.fill("#pj-catatan", "bawa kunci cadangan")
    page.click("button:text('Tugaskan')")
    assert "Petugas ditugaskan" in page.inner_text(".alert")
    assert "Siswanto [ADM04]" in page.inner_text("#assignments")

    page.fill("#progres-catatan", "Sudah dicek, engsel perlu diganti")
    page.click("button:text('Tambah Progres')")
    assert "Sudah dicek, engsel perlu diganti" in page.inner_text("#tracks")
    shot(page, "laporan-detail")

    page.goto(f"{live}/laporan")
    with page.expect_download() as download:
        page.click("text=Export Excel")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    _, header, rows = table(openpyxl.load_workbook(path)["Laporan"])
    column = header.index
    assert (
        len(rows) == 4 and rows[0][column("Nomor Tracking")] == number and rows[0][column("PJ")] == "Siswanto"
    )
    assert rows[0][column("Kategori")] == "Umum"

    with page.context.expect_page() as popup:
        page.click("text=Cetak >> nth=0")
    printed = popup.value
    printed.wait_for_load_state()
    assert "Data Monitoring" in printed.inner_text("h1")
    assert number in printed.inner_text("table")
    shot(printed, "cetak")

    page.goto(f"{live}/wa-masuk")
    shot(page, "wa-masuk")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live}/laporan/{number}")
    shot(page, "laporan-ponsel")
    assert page.locator(".navbar-toggler").is_visible()


def logged_in(browser, live):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live}/login")
    page.fill("#username", "admin")
    page.fill("#password", "sarpras123")
    page.click("button[type=submit]")
    page.wait_for_url("**/beranda")
    return page


def test_pegawai_and_accounts_are_saved_with_an_e_mail(app, live, browser):
    page = logged_in(browser, live)
    page.goto(f"{live}/pegawai/baru")
    page.fill("#nama_pegawai", "Eko Prasetyo")
    page.fill("#telepon", "0812-9999-0000")
    page.fill("#email", "bukan-email")
    page.click("button:text('Simpan')")
    assert "Email tidak valid." in page.inner_text("main")
    page.fill("#email", "eko@kampus.ac.id")
    page.click("button:text('Simpan')")
    page.wait_for_url("**/pegawai")
    assert "Pegawai Eko Prasetyo ditambahkan." in page.inner_text(".alert")
    with app.app_context():
        eko = db.session.query(Pegawai).filter_by(nama_pegawai="Eko Prasetyo").one()
        assert eko.email == "eko@kampus.ac.id"
        id_pegawai = eko.id_pegawai

    page.goto(f"{live}/pegawai/{id_pegawai}")
    page.fill("#email", "eko.prasetyo@kampus.ac.id")
    page.click("button:text('Simpan')")
    page.wait_for_url("**/pegawai")
    assert "Data pegawai disimpan." in page.inner_text(".alert")

    page.goto(f"{live}/admin/baru")
    page.fill("#nama_admin", "Teknisi Surel")
    page.select_option("#level", "TBO")
    page.fill("#telepon", "0812-5555-0001")
    page.fill("#email", "teknisi@kampus.ac.id")
    page.click("button:text('Simpan')")
    page.wait_for_url("**/admin")
    with app.app_context():
        assert db.session.get(Pegawai, id_pegawai).email == "eko.prasetyo@kampus.ac.id"
        account = db.session.query(Admin).filter_by(nama_admin="Teknisi Surel").one()
        assert account.email == "teknisi@kampus.ac.id"


def test_an_import_too_large_gets_a_page_that_says_so(live, browser):
    page = logged_in(browser, live)
    page.goto(f"{live}/pegawai/impor")
    page.set_input_files(
        "#berkas", files=[{"name": "besar.csv", "mimeType": "text/csv", "buffer": b"x" * (6 * 2**20)}]
    )
    page.click("button:text('Periksa Berkas')")
    page.wait_for_selector("text=Paling besar 5 MB")
    assert "413" in page.inner_text("h1")


def test_a_team_is_assigned_with_the_panel_form(app, client, live, browser):
    number = send_wa(client, "#request proyektor dan speaker aula mati").json["id_track"]
    page = logged_in(browser, live)
    # A phone's width: the people are checkboxes that a thumb can tick.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live}/laporan/{number}")
    page.check("#pj-petugas input[value=ADM04]")
    page.check("#pj-petugas input[value=ADM05]")
    page.select_option("#pj-ketua", "ADM05")
    page.fill("#pj-catatan", "berdua, bawa kabel")
    page.click("button:text('Tugaskan')")
    assert "Tim: Adrasha (ketua), Siswanto." in page.inner_text(".alert")
    team = page.inner_text("#assignments")
    assert "Adrasha [ADM05] Ketua" in team and "Siswanto [ADM04]" in team
    assert page.locator("#assignments [data-lead]").count() == 1
    # Both are on the team now: the form offers only the others, to add to it.
    offered = page.locator("#pj-petugas input").evaluate_all("boxes => boxes.map(b => b.value)")
    assert "ADM04" not in offered and "ADM05" not in offered
    shot(page, "laporan-tim")

    # Removing the lead leaves Siswanto, who now leads.
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#assignments tr:has-text('Adrasha') button:text('Hapus')")
    assert "Penugasan dibatalkan." in page.inner_text(".alert")
    assert "Siswanto [ADM04] Ketua" in page.inner_text("#assignments")
    assert "Proses" in page.inner_text("h1")
