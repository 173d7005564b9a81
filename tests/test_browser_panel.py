"""The panel's frame in real Chromium: rows per page kept on the account, the menu on a
laptop and a phone, and the letterhead of a printed page.

Set SCREENSHOT_DIR=docs/screenshots to keep pictures of them.
"""

import pytest

from tests.conftest import STRANGER, send_wa
from tests.images import emblem
from tests.test_browser import CHROMIUM, browser, live, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="Chromium is not installed (scripts/test.sh installs it)"
)


def log_in(browser, live, width=1366, height=768, username="admin"):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{live}/login")
    page.fill("#username", username)
    page.fill("#password", "sarpras123")
    page.click("button[type=submit]")
    page.wait_for_url("**/beranda")
    return page


def rows_shown(page):
    return page.locator("#reports tbody tr").count()


def test_a_chosen_page_size_is_remembered_on_the_next_visit(client, live, browser):  # noqa: F811
    for number in range(30):
        send_wa(client, f"#request keluhan nomor {number}", sender=STRANGER)
    page = log_in(browser, live, username="nikolai")
    page.goto(f"{live}/laporan?status=Baru")
    page.click("#page-size >> text=10")
    page.wait_for_url("**per=10**")
    assert rows_shown(page) == 10 and "status=Baru" in page.url
    page.click("nav[aria-label=Halaman] >> text=Berikutnya")
    page.wait_for_url("**page=2**")
    assert rows_shown(page) == 10 and "status=Baru" in page.url

    page.click("#page-size >> text=25")
    page.wait_for_url("**per=25**")
    assert rows_shown(page) == 25
    page.close()

    # The next visit, in a new session: the account's choice, on every list.
    again = log_in(browser, live, username="nikolai")
    again.click("text=Data Monitoring")
    again.wait_for_url("**/laporan")
    assert rows_shown(again) == 25
    assert again.locator("#page-size [aria-current=true]").inner_text() == "25"
    again.goto(f"{live}/wa-masuk")
    assert again.locator("#page-size [aria-current=true]").inner_text() == "25"
    assert again.locator("#incoming tbody tr").count() == 25


def test_the_menu_fits_a_laptop_on_one_line_and_folds_on_a_phone(live, browser):  # noqa: F811
    page = log_in(browser, live)
    assert not page.locator(".navbar-toggler").is_visible()
    assert page.locator("#menu").is_visible()
    items = page.locator(
        "nav.navbar .navbar-brand, nav.navbar .nav-link, nav.navbar .navbar-text, nav.navbar button"
    )
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    boxes = [box for box in boxes if box]
    middles = {round(box["y"] + box["height"] / 2) for box in boxes}
    assert max(middles) - min(middles) <= 4, middles  # one line
    assert max(box["x"] + box["width"] for box in boxes) <= 1366
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    shot(page, "menu-laptop")

    page.click("#menu-lainnya > a")
    page.click("#menu-lainnya >> text=Audit")
    page.wait_for_url("**/audit")
    assert page.locator("#menu-lainnya > a.active").count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live}/laporan")
    assert page.locator(".navbar-toggler").is_visible()
    assert not page.locator("#menu").is_visible()
    page.click(".navbar-toggler")
    # The menu unfolds for a moment (.collapsing): a click then can land where an item was.
    page.wait_for_selector("#menu.show")
    page.locator("#menu-lainnya > a").click()
    page.click("#menu-lainnya >> text=Kop Surat & Tanda Tangan")
    page.wait_for_url("**/pengaturan/kop-surat")


def test_the_letterhead_with_its_logo_on_a_printed_page(client, live, browser, tmp_path):  # noqa: F811
    number = send_wa(client, "#request lampu aula mati").json["id_track"]
    page = log_in(browser, live, width=1280, height=900)
    page.goto(f"{live}/pengaturan/kop-surat")
    for field, value in {
        "#kop_institusi": "Institut Sains dan Teknologi Nasional",
        "#kop_unit": "Biro Rumah Tangga",
        "#kop_alamat": "Jl. Moh. Kahfi II, Srengseng Sawah, Jagakarsa\nJakarta Selatan 12640",
        "#kop_kontak": "Telp. (021) 7270090 · brt@istn.ac.id",
        "#ttd_jabatan": "Kepala Biro Rumah Tangga",
        "#ttd_nama": "Dr. Ir. Siti Rahma, M.T.",
        "#ttd_nip": "197001011995032001",
    }.items():
        page.fill(field, value)
    page.click("#kop-form button[type=submit]")
    page.wait_for_selector("text=Kop surat dan tanda tangan disimpan.")
    logo = tmp_path / "logo.png"
    logo.write_bytes(emblem())
    page.set_input_files("#logo", str(logo))
    page.click("#logo-form button[type=submit]")
    page.wait_for_selector("text=Logo disimpan.")
    assert page.locator("#logo-sekarang").evaluate("img => img.naturalWidth") == 120
    shot(page, "kop-surat")

    page.goto(f"{live}/cetak/laporan/{number}")
    image = page.locator("#kop img.logo")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    kop = page.locator("#kop").bounding_box()
    names = page.locator("#kop .institution").bounding_box()
    picture = image.bounding_box()
    assert picture["x"] + picture["width"] < names["x"]  # the logo at the left
    page_middle = kop["x"] + kop["width"] / 2
    assert abs(names["x"] + names["width"] / 2 - page_middle) < 3  # the names centred
    assert page.locator("#kop").evaluate("e => getComputedStyle(e).borderBottomStyle") == "double"
    signature = page.locator("#ttd").inner_text()
    assert "Mengetahui," in signature and "Dr. Ir. Siti Rahma, M.T." in signature
    assert page.locator("#ttd").bounding_box()["y"] > page.locator("table").last.bounding_box()["y"]
    shot(page, "cetak-kop")
