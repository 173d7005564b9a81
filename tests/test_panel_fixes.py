"""Panel bugs of issue #10: a closed report's assignments, the status form's choice, the
print pages on a phone, the favicon."""

import re

import pytest

from app.extensions import db
from app.models import Admin, Monitoring, Pegawai, Penugasan
from tests.conftest import login, send_wa

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


@pytest.fixture
def report_id(client):
    return send_wa(client, "#request lampu aula mati").json["id_track"]


def test_a_closed_reports_assignment_is_history_and_cannot_be_changed(app, staf, report_id):
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04", "catatan": "bawa tangga"})
    with app.app_context():
        idp = db.session.query(Penugasan).one().idp
    page = staf.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert f"/penugasan/{idp}/hapus" in page and f"/penugasan/{idp}/ubah" in page
    staf.post(f"/laporan/{report_id}/status", data={"aksi": "tutup", "alasan": "ditangani vendor"})

    page = staf.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert f"/penugasan/{idp}/hapus" not in page and f"/penugasan/{idp}/ubah" not in page
    assert "riwayat (laporan ditutup)" in page and "Tugaskan</button>" not in page

    refused = "sudah ditutup: penugasannya tidak dapat diubah atau dihapus"
    edit = staf.post(
        f"/laporan/{report_id}/penugasan/{idp}/ubah", data={"catatan": "x"}, follow_redirects=True
    )
    assert refused in edit.get_data(as_text=True)
    remove = staf.post(f"/laporan/{report_id}/penugasan/{idp}/hapus", follow_redirects=True)
    assert refused in remove.get_data(as_text=True)
    with app.app_context():
        penugasan = db.session.get(Penugasan, idp)
        assert (penugasan.catatan, penugasan.status) == ("bawa tangga", "Penugasan")
        assert db.session.query(Monitoring).one().status == "Dikonfirmasi"


def test_the_status_form_preselects_nothing(app, staf, report_id):
    page = staf.get(f"/laporan/{report_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="aksi"[^>]*>(.*?)</select>', page, re.S)
    assert "required" in select.group(0)
    options = re.findall(r"<option[^>]*>", select.group(1))
    assert options[0] == '<option selected value="">' or options[0] == '<option value="">'
    assert not any("selected" in option for option in options[1:])
    answer = staf.post(f"/laporan/{report_id}/status", data={"alasan": "x"}, follow_redirects=True)
    assert "Pilih tindakan." in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Monitoring).one().status == "Baru"


def test_print_pages_fit_a_phone(app, staf, report_id):
    for url in (f"/cetak/laporan/{report_id}", "/cetak/laporan", "/cetak/rekap?bulan=2&tahun=2024"):
        assert VIEWPORT in staf.get(url).get_data(as_text=True), url


def test_the_netmon_print_page_fits_a_phone(staf):
    assert VIEWPORT in staf.get("/netmon/riwayat/cetak").get_data(as_text=True)


def test_the_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/login").get_data(as_text=True)


def test_an_e_mail_is_checked_and_saved_for_pegawai_and_accounts(app, client):
    login(client)
    pegawai = {
        "id_pegawai": "PGW2411050",
        "nama_pegawai": "Eko",
        "telepon": "081299990000",
        "status": "Aktif",
    }
    page = client.post("/pegawai/baru", data=dict(pegawai, email="eko@")).get_data(as_text=True)
    assert "Email tidak valid." in page
    assert client.post("/pegawai/baru", data=dict(pegawai, email="eko@kampus.ac.id")).status_code == 302
    account = {"nama_admin": "Teknisi Surel", "level": "TBO", "telepon": "0812-5555-0001", "status": "Aktif"}
    assert client.post("/admin/baru", data=dict(account, email="teknisi@kampus.ac.id")).status_code == 302
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2411050").email == "eko@kampus.ac.id"
        assert (
            db.session.query(Admin).filter_by(nama_admin="Teknisi Surel").one().email
            == "teknisi@kampus.ac.id"
        )
