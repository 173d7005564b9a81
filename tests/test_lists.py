"""Every list of the panel: 10/25/50/100 rows per page, kept on the account, with the
list's filters kept in every page and page-size link."""

import re

import pytest

from app.extensions import db
from app.models import Admin, Pegawai
from app.panel import paging
from tests.conftest import STRANGER, login, send_wa

LISTS = ["/laporan", "/wa-masuk", "/outbox", "/pegawai", "/admin", "/audit", "/netmon/riwayat"]


@pytest.mark.parametrize(
    "asked, stored, used",
    [
        ("10", 25, 10),
        ("100", 25, 100),
        (" 50 ", 25, 50),
        (None, 50, 50),
        ("100000", 50, 50),
        ("-1", 10, 10),
        ("0", 25, 25),
        ("abc", 100, 100),
        ("25.0", 10, 10),
        ("1e2", 10, 10),
        ("9" * 5000, 10, 10),
        ("", 10, 10),
        (None, 7, 25),  # a value put in the database by hand
        ("-1", None, 25),
    ],
)
def test_only_a_choice_is_ever_used(asked, stored, used):
    assert paging.rows_per_page(asked, stored) == used


@pytest.mark.parametrize(
    "row, per_page, page", [(1, 10, 1), (21, 10, 3), (21, 25, 1), (51, 25, 3), (51, 100, 1)]
)
def test_a_new_size_opens_the_page_holding_the_first_row_in_view(row, per_page, page):
    assert paging.page_holding(row, per_page) == page


def chosen(app, id_admin):
    with app.app_context():
        return db.session.get(Admin, id_admin).baris_halaman


def detail_links(html):
    return html.count(">Detail</a>")


def test_a_new_account_starts_with_25_rows(app, staf):
    assert chosen(app, "ADM03") == 25
    assert 'aria-current="true">25</a>' in staf.get("/laporan").get_data(as_text=True)


def test_the_chosen_size_is_kept_on_the_account_across_pages_lists_and_sessions(app, client):
    for number in range(12):
        send_wa(client, f"#request keluhan {number}", sender=STRANGER)
    login(client, "nikolai")
    first = client.get("/laporan?per=10").get_data(as_text=True)
    assert detail_links(first) == 10 and "halaman 1 dari 2" in first
    assert chosen(app, "ADM03") == 10
    # The next page, another list, and a new session: the account's choice, no ?per=.
    second = client.get("/laporan?page=2").get_data(as_text=True)
    assert detail_links(second) == 2 and "halaman 2 dari 2" in second
    assert 'aria-current="true">10</a>' in client.get("/wa-masuk").get_data(as_text=True)
    client.post("/logout")
    login(client, "nikolai")
    assert detail_links(client.get("/laporan").get_data(as_text=True)) == 10
    # Another account keeps its own.
    assert chosen(app, "ADM01") == 25


@pytest.mark.parametrize("per", ["100000", "-1", "abc", "0", "10;DROP", "9" * 5000, "%00"])
def test_a_forged_size_falls_back_to_the_kept_one(app, staf, per):
    for number in range(3):
        send_wa(staf, f"#request keluhan {number}", sender=STRANGER)
    staf.get("/laporan?per=50")
    response = staf.get(f"/laporan?per={per}&page=-3")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'aria-current="true">50</a>' in html and detail_links(html) == 3
    assert chosen(app, "ADM03") == 50


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999", "1.5"])
def test_a_forged_page_number_shows_a_page(staf, page):
    send_wa(staf, "#request lampu mati", sender=STRANGER)
    response = staf.get(f"/laporan?page={page}")
    assert response.status_code == 200 and detail_links(response.get_data(as_text=True)) == 1


@pytest.mark.parametrize("path", LISTS)
def test_every_list_offers_the_choice_and_applies_it(administrator, path):
    html = administrator.get(f"{path}?per=100").get_data(as_text=True)
    choices = re.search(r'<nav [^>]*id="page-size".*?</nav>', html, re.S).group(0)
    assert [int(n) for n in re.findall(r">(\d+)</a>", choices)] == [10, 25, 50, 100]
    assert 'aria-current="true">100</a>' in choices


def test_the_filters_stay_in_the_page_and_size_links(app, staf):
    for number in range(12):
        send_wa(staf, f"#request lampu {number}", sender=STRANGER)
    html = staf.get("/laporan?q=lampu&status=Baru&per=10").get_data(as_text=True)
    links = re.findall(r'href="(/laporan\?[^"]+)"', html)
    size_links = [link for link in links if "per=" in link]
    page_links = [link for link in links if "page=2" in link and "per=" not in link]
    assert len(size_links) == 4 and page_links
    for link in size_links + page_links:
        assert "q=lampu" in link and "status=Baru" in link


def test_the_outbox_filters_stay_in_the_links(staf):
    html = staf.get("/outbox?status=gagal&q=x&antar=dibaca").get_data(as_text=True)
    choices = re.search(r'<nav [^>]*id="page-size".*?</nav>', html, re.S).group(0)
    for link in re.findall(r'href="([^"]+)"', choices):
        assert "status=gagal" in link and "q=x" in link and "antar=dibaca" in link


def test_the_pegawai_list_is_paged_and_numbered_across_pages(app, staf):
    with app.app_context():
        for number in range(30):
            db.session.add(Pegawai(id_pegawai=f"PGW99{number:05d}", nama_pegawai=f"Uji {number}", telepon=""))
        db.session.commit()
    html = staf.get("/pegawai?per=10&page=3").get_data(as_text=True)
    body = re.search(r'<table[^>]*id="pegawai".*?</table>', html, re.S).group(0)
    numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", body)]
    assert numbers == list(range(21, 31))
    assert "33 pegawai · halaman 3 dari 4" in html


def test_a_search_on_the_accounts_list_keeps_its_query(administrator):
    html = administrator.get("/admin?q=Staf&per=10").get_data(as_text=True)
    assert "Nikolai Gordyer" in html and "Siswanto" not in html
    choices = re.search(r'<nav [^>]*id="page-size".*?</nav>', html, re.S).group(0)
    assert all("q=Staf" in link for link in re.findall(r'href="([^"]+)"', choices))
