"""Kop surat: the Administrator's settings page, the logo checked by its bytes and served
through its setting, and the letterhead and signature on every print page."""

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import clock
from app.extensions import db
from app.models import Audit, Pengaturan
from app.panel import logo
from tests.conftest import login, send_wa
from tests.images import jpeg, png

SETTINGS = {
    "kop_institusi": "Institut Sains dan Teknologi Nasional",
    "kop_unit": "Biro Rumah Tangga",
    "kop_alamat": "Jl. Moh. Kahfi II, Srengseng Sawah\r\nJagakarsa, Jakarta Selatan 12640",
    "kop_kontak": "Telp. (021) 7270090 · brt@istn.ac.id",
    "ttd_kota": "Jakarta",
    "ttd_jabatan": "Kepala Biro Rumah Tangga",
    "ttd_nama": "Dr. Ir. Siti Rahma, M.T.",
    "ttd_nip": "19700101 199503 2 001",
}
PRINT_PAGES = ["/cetak/laporan", "/cetak/laporan/{id}", "/cetak/rekap", "/netmon/riwayat/cetak"]


def upload(client, content, name="logo.png", mimetype="image/png"):
    return client.post(
        "/pengaturan/kop-surat/logo",
        data={"logo": (io.BytesIO(content), name, mimetype)},
        content_type="multipart/form-data",
    )


def stored_logo(app):
    with app.app_context():
        row = db.session.get(Pengaturan, "kop_logo")
        return row.nilai if row else ""


def logo_files(app):
    folder = Path(app.instance_path) / "uploads" / "kop"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/pengaturan/kop-surat"),
        ("post", "/pengaturan/kop-surat"),
        ("post", "/pengaturan/kop-surat/logo"),
        ("post", "/pengaturan/kop-surat/logo/hapus"),
    ],
)
def test_only_the_administrator_changes_the_letterhead(app, staf, method, path):
    response = getattr(staf, method)(path, data={"kop_institusi": "Diubah Staf"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Pengaturan, "kop_institusi") is None


def test_a_tbo_and_a_stranger_cannot_see_the_logo(app, client):
    assert client.get("/pengaturan/logo").status_code == 302
    with app.app_context():
        from app.models import Admin

        db.session.get(Admin, "ADM04").set_password("teknisi123")
        db.session.get(Admin, "ADM04").username = "siswanto"
        db.session.commit()
    login(client, "siswanto", "teknisi123")
    assert client.get("/pengaturan/logo").status_code == 403


def test_the_page_shows_the_defaults_from_the_settings(administrator):
    html = administrator.get("/pengaturan/kop-surat").get_data(as_text=True)
    assert 'value="ISTN"' in html and 'value="Layanan BRT ISTN"' in html and 'value="Kepala BRT"' in html
    assert "Belum ada logo." in html


def test_the_administrator_saves_the_letterhead_and_every_print_page_shows_it(app, administrator):
    number = send_wa(administrator, "#request lampu aula mati").json["id_track"]
    response = administrator.post("/pengaturan/kop-surat", data=SETTINGS, follow_redirects=True)
    assert "Kop surat dan tanda tangan disimpan." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Audit).filter_by(objek="pengaturan").count() == 1
    # 23:30 on 30 November in UTC is already 1 December in Jakarta: the office's date.
    clock.freeze(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    try:
        pages = [administrator.get(path.format(id=number)).get_data(as_text=True) for path in PRINT_PAGES]
    finally:
        clock.freeze(None)
    for path, html in zip(PRINT_PAGES, pages, strict=True):
        kop = re.search(r'<header class="kop" id="kop">.*?</header>', html, re.S).group(0)
        assert "Institut Sains dan Teknologi Nasional" in kop and "Biro Rumah Tangga" in kop
        assert ">Jl. Moh. Kahfi II, Srengseng Sawah<" in kop and ">Jagakarsa, Jakarta Selatan 12640<" in kop
        assert "brt@istn.ac.id" in kop and "<img" not in kop
        ttd = re.search(r'<section class="ttd" id="ttd">.*?</section>', html, re.S).group(0)
        for text in (
            "Jakarta, 1 Desember 2026",
            "Mengetahui,",
            "Kepala Biro Rumah Tangga",
            "Dr. Ir. Siti Rahma, M.T.",
            "NIP. 19700101",
        ):
            assert text in ttd, (path, text)
        assert html.index('id="kop"') < html.index('id="ttd"')


def test_a_staf_prints_with_the_letterhead(administrator, client):
    administrator.post("/pengaturan/kop-surat", data=SETTINGS)
    client.post("/logout")
    login(client, "nikolai")
    assert "Biro Rumah Tangga" in client.get("/cetak/rekap").get_data(as_text=True)


def test_a_value_too_long_is_refused_and_nothing_is_stored(app, administrator):
    data = dict(SETTINGS, kop_unit="x" * 151)
    html = administrator.post("/pengaturan/kop-surat", data=data).get_data(as_text=True)
    assert "Paling banyak 150 karakter." in html
    with app.app_context():
        assert db.session.query(Pengaturan).count() == 0


def test_a_field_of_one_line_keeps_one_line(app, administrator):
    administrator.post("/pengaturan/kop-surat", data=dict(SETTINGS, kop_unit=" Biro\r\nRumah   Tangga\n"))
    with app.app_context():
        assert db.session.get(Pengaturan, "kop_unit").nilai == "Biro Rumah Tangga"
        assert db.session.get(Pengaturan, "kop_alamat").nilai.count("\n") == 1


def test_an_emptied_field_stays_empty(administrator):
    administrator.post("/pengaturan/kop-surat", data=dict(SETTINGS, kop_unit="", ttd_nip=""))
    html = administrator.get("/cetak/rekap").get_data(as_text=True)
    assert 'class="unit"' not in html and "NIP." not in html


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Berkas logo kosong."),
        (b"GIF89a" + b"\x00" * 100, "Logo harus berupa gambar PNG atau JPEG."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Logo harus berupa gambar PNG atau JPEG."),
        (b"%PDF-1.4\n", "Logo harus berupa gambar PNG atau JPEG."),
        (png()[:40], "rusak"),  # cut short: no end
        (png()[:19] + b"\x05" + png()[20:], "rusak"),  # width changed: checksum wrong
        (jpeg()[:-2], "rusak"),
        (b"\xff\xd8\xff" + b"\x00" * 200 + b"\xff\xd9", "rusak"),
        (png(0, 4), "Ukuran logo"),
        (png(9000, 1), "Ukuran logo"),
        (png(4, 4) + b"\x00" * logo.MAX_BYTES, "Logo paling besar 1 MB."),
    ],
)
def test_a_logo_that_is_not_a_whole_png_or_jpeg_is_refused(app, administrator, content, message):
    html = upload(administrator, content, name="logo.png").get_data(as_text=True)
    assert message in html
    assert stored_logo(app) == "" and logo_files(app) == []


def test_a_file_larger_than_any_form_takes_is_refused_before_it_is_read(app, administrator):
    response = upload(administrator, png() + b"\x00" * (3 * 2**20))
    assert response.status_code == 413 and stored_logo(app) == "" and logo_files(app) == []


def test_a_form_without_a_file_asks_for_one(app, administrator):
    html = administrator.post("/pengaturan/kop-surat/logo", data={}).get_data(as_text=True)
    assert "Pilih berkas logo." in html and stored_logo(app) == ""


def test_a_logo_is_stored_under_our_name_served_replaced_and_removed(app, administrator):
    first = png(6, 6)
    response = upload(administrator, first, name="../../secret_key.png", mimetype="text/html")
    assert response.status_code == 302
    name = stored_logo(app)
    assert re.fullmatch(r"uploads/kop/[0-9a-f]{32}\.png", name)
    assert logo_files(app) == [Path(name).name]
    served = administrator.get("/pengaturan/logo")
    assert served.status_code == 200 and served.data == first and served.mimetype == "image/png"
    printed = administrator.get("/cetak/rekap").get_data(as_text=True)
    assert re.search(r'<img class="logo" src="/pengaturan/logo\?v=[0-9a-f]{12}"', printed)

    second = jpeg()
    assert (
        upload(administrator, second, name="kop.exe", mimetype="application/x-msdownload").status_code == 302
    )
    assert stored_logo(app).endswith(".jpg") and len(logo_files(app)) == 1
    served = administrator.get("/pengaturan/logo")
    assert served.data == second and served.mimetype == "image/jpeg"

    html = administrator.post("/pengaturan/kop-surat/logo/hapus", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Logo dihapus." in html and "Belum ada logo." in html
    assert stored_logo(app) == "" and logo_files(app) == []
    assert administrator.get("/pengaturan/logo").status_code == 404
    assert "<img" not in administrator.get("/cetak/rekap").get_data(as_text=True)
    with app.app_context():
        actions = [a.aksi for a in db.session.query(Audit).filter_by(objek="pengaturan").order_by(Audit.id)]
    assert actions == ["ganti logo", "ganti logo", "hapus logo"]


@pytest.mark.parametrize(
    "value",
    ["secret_key", "../secret_key", "uploads/kop/../../secret_key", "/etc/passwd", "uploads/2024/11/a.jpg"],
)
def test_a_setting_that_names_another_file_serves_nothing(app, administrator, value):
    Path(app.instance_path, "secret_key").write_text("rahasia")
    with app.app_context():
        db.session.add(Pengaturan(kunci="kop_logo", nilai=value, diubah=clock.utcnow()))
        db.session.commit()
    assert administrator.get("/pengaturan/logo").status_code == 404
    assert "<img" not in administrator.get("/cetak/rekap").get_data(as_text=True)


def test_the_logo_route_takes_no_path(administrator):
    assert administrator.get("/pengaturan/logo/../secret_key").status_code == 404
    assert administrator.get("/pengaturan/logo?berkas=../secret_key").status_code == 404
