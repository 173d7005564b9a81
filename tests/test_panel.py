"""The admin panel: every page, the role rules, and the actions through the services."""

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from app.extensions import db
from app.models import Admin, Audit, Monitoring, Outbox, Pegawai, Penugasan, Track
from tests.conftest import MARTA, login, reset_database, send_wa

SISWANTO = "6282124603757"
PANEL_PAGES = [
    "/beranda",
    "/laporan",
    "/wa-masuk",
    "/outbox",
    "/pegawai",
    "/pegawai/baru",
    "/pegawai/impor",
    "/cetak/laporan",
    "/cetak/rekap",
    "/laporan/export.xlsx",
    "/wa-masuk/export.xlsx",
]
ADMINISTRATOR_PAGES = ["/admin", "/admin/baru", "/admin/ADM03", "/audit"]


@pytest.fixture
def report_id(client):
    return send_wa(client, "#request lampu aula mati").json["id_track"]


@pytest.mark.parametrize("page", PANEL_PAGES + ADMINISTRATOR_PAGES + ["/tugas", "/laporan/BRT0000001"])
def test_every_page_needs_a_login(client, page):
    response = client.get(page)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", PANEL_PAGES)
def test_a_staf_opens_every_panel_page(staf, page):
    assert staf.get(page).status_code == 200


@pytest.mark.parametrize("page", ADMINISTRATOR_PAGES)
def test_a_staf_is_refused_administrator_pages(staf, page):
    response = staf.get(page)
    assert response.status_code == 403
    assert "tidak memiliki hak akses" in response.get_data(as_text=True)


def test_a_staf_cannot_post_to_administrator_pages(staf):
    assert staf.post("/admin/baru", data={"nama_admin": "X", "level": "Administrator"}).status_code == 403
    assert staf.post("/admin/ADM01/status").status_code == 403


@pytest.mark.parametrize("page", ADMINISTRATOR_PAGES)
def test_the_administrator_opens_administrator_pages(administrator, page):
    assert administrator.get(page).status_code == 200


def test_opening_a_report_marks_it_read_and_shows_it_as_text(app, staf):
    number = send_wa(staf, "#request <script>alert(1)</script> di aula").json["id_track"]
    listing = staf.get("/laporan").get_data(as_text=True)
    assert '<tr class="unread">' in listing
    page = staf.get(f"/laporan/{number.lower()}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    with app.app_context():
        assert db.session.query(Monitoring).one().tag == 1
        assert db.session.query(Audit).filter_by(aksi="baca").count() == 1
    assert '<tr class="unread">' not in staf.get("/laporan").get_data(as_text=True)


def test_the_list_searches_filters_and_pages(app, staf):
    for n in range(30):
        send_wa(staf, f"#request keluhan nomor {n}", sender=f"6281200000{n:03d}")
    send_wa(staf, "#request proyektor rusak")
    page = staf.get("/laporan").get_data(as_text=True)
    assert "31 laporan" in page and "halaman 1 dari 2" in page
    assert "proyektor rusak" in staf.get("/laporan?q=proyektor").get_data(as_text=True)
    assert "1 laporan" in staf.get("/laporan?q=082111476069").get_data(as_text=True)
    assert "0 laporan" in staf.get("/laporan?status=Selesai").get_data(as_text=True)
    assert "31 laporan" in staf.get("/laporan?status=Baru&sort=terlama&page=2").get_data(as_text=True)
    bad = staf.get("/laporan?dari=kemarin&page=x&sort=aneh")
    assert bad.status_code == 200 and "Tanggal awal tidak valid" in bad.get_data(as_text=True)


def test_the_list_filters_by_pj(app, staf, report_id):
    send_wa(staf, "#request yang lain")
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04", "catatan": ""})
    assert "1 laporan" in staf.get("/laporan?petugas=ADM04").get_data(as_text=True)


def test_assigning_from_the_report_page_goes_through_the_service(app, staf, report_id):
    response = staf.post(
        f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04", "catatan": "bawa tangga"}
    )
    assert response.status_code == 302
    page = staf.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert "Petugas ditugaskan" in page and "Siswanto [ADM04]" in page
    with app.app_context():
        penugasan = db.session.query(Penugasan).one()
        assert (penugasan.pemberi, penugasan.catatan) == ("ADM03", "bawa tangga")
        assert db.session.query(Outbox).filter_by(tujuan=SISWANTO).count() == 1
        assert db.session.query(Monitoring).one().status == "Proses"


def test_a_refused_assignment_is_explained(app, staf, report_id):
    page = staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM02"}, follow_redirects=True)
    assert "Pilih petugas" in page.get_data(as_text=True) or "TBO atau Staf" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Penugasan).count() == 0


def test_editing_and_removing_an_assignment(app, staf, report_id):
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04"})
    with app.app_context():
        idp = db.session.query(Penugasan).one().idp
    staf.post(f"/laporan/{report_id}/penugasan/{idp}/ubah", data={"catatan": "pakai tangga"})
    staf.post(f"/laporan/{report_id}/penugasan/{idp}/hapus")
    with app.app_context():
        penugasan = db.session.query(Penugasan).one()
        assert (penugasan.catatan, penugasan.status) == ("pakai tangga", "Dibatalkan")
        assert db.session.query(Monitoring).one().status == "Baru"


def test_progress_lines_are_added_edited_and_deleted(app, staf, report_id):
    staf.post(f"/laporan/{report_id}/progres", data={"catatan": "sedang dicek", "kirim": "y"})
    staf.post(f"/laporan/{report_id}/progres", data={"catatan": "catatan internal"})
    with app.app_context():
        lines = db.session.query(Track).order_by(Track.id).all()
        assert [t.catatan for t in lines] == ["sedang dicek", "catatan internal"]
        sent = [o.pesan for o in db.session.query(Outbox).filter_by(tujuan=MARTA).order_by(Outbox.ido)]
        assert len(sent) == 2 and sent[1].endswith("sedang dicek")
        first, second = lines[0].id, lines[1].id
    staf.post(f"/laporan/{report_id}/progres/{first}/ubah", data={"catatan": "sudah dicek"})
    staf.post(f"/laporan/{report_id}/progres/{second}/hapus")
    with app.app_context():
        assert [t.catatan for t in db.session.query(Track)] == ["sudah dicek"]
        actions = [a.aksi for a in db.session.query(Audit).order_by(Audit.id)]
        assert actions[-3:] == ["tambah progres", "ubah progres", "hapus progres"]


def test_an_empty_progress_line_is_refused(app, staf, report_id):
    page = staf.post(f"/laporan/{report_id}/progres", data={"catatan": ""}, follow_redirects=True)
    assert "Wajib diisi." in page.get_data(as_text=True)


def test_pending_and_closing_need_a_reason(app, staf, report_id):
    page = staf.post(f"/laporan/{report_id}/status", data={"aksi": "pending"}, follow_redirects=True)
    assert "Alasan wajib diisi" in page.get_data(as_text=True)
    staf.post(f"/laporan/{report_id}/status", data={"aksi": "pending", "alasan": "menunggu anggaran"})
    with app.app_context():
        assert db.session.query(Monitoring).one().status == "Pending"
    staf.post(f"/laporan/{report_id}/status", data={"aksi": "tutup", "alasan": "sudah ditangani vendor"})
    with app.app_context():
        report = db.session.query(Monitoring).one()
        assert (report.status, report.keterangan) == ("Dikonfirmasi", "sudah ditangani vendor")
    page = staf.post(
        f"/laporan/{report_id}/status", data={"aksi": "pending", "alasan": "x"}, follow_redirects=True
    )
    assert "sudah ditutup" in page.get_data(as_text=True)


def test_an_unknown_report_is_404(staf):
    assert staf.get("/laporan/BRT9999999").status_code == 404
    assert staf.post("/laporan/BRT9999999/progres", data={"catatan": "x"}).status_code == 404


def test_pegawai_are_added_with_a_normalised_unique_phone(app, staf):
    data = {
        "id_pegawai": "PGW2411001",
        "nama_pegawai": "Budi Santoso",
        "telepon": "0813-1111-2222",
        "jurusan": "Sipil",
        "bagian": "Lab",
        "status": "Aktif",
    }
    assert staf.post("/pegawai/baru", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2411001").telepon == "6281311112222"
    again = staf.post("/pegawai/baru", data=dict(data, id_pegawai="PGW2411002", telepon="+62 813 1111 2222"))
    assert again.status_code == 200
    assert "sudah dipakai Budi Santoso" in again.get_data(as_text=True)


def test_a_pegawai_with_history_is_deactivated_not_deleted(app, staf, report_id):
    staf.post("/pegawai/PGW2402001/status")
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2402001").status == "Tidak Aktif"
    staf.post(
        "/pegawai/PGW2402001",
        data={
            "nama_pegawai": "R Marta Dinata",
            "telepon": MARTA,
            "status": "Aktif",
            "jurusan": "TIF",
            "bagian": "IT",
        },
    )
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2402001").status == "Aktif"


def test_pegawai_are_imported_from_csv_after_a_preview(app, staf):
    csv = (
        "nama,telepon,jurusan,bagian\nAni,0812-7777-0001,Elektro,Lab\nBudi,bukan nomor,Sipil,TU\n"
        "Cici,081277770001,Mesin,TU\nDedi,6285825335908,Arsitektur,TU\n"
    )
    page = staf.post(
        "/pegawai/impor",
        data={"berkas": (io.BytesIO(csv.encode()), "pegawai.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "1 baris siap, 3 baris bermasalah" in page
    assert "Nomor telepon tidak valid." in page and "Nomor ganda di dalam berkas." in page
    assert "sudah dipakai She Min Ah" in page
    token = re.search(r"/pegawai/impor/([0-9a-f]+)", page).group(1)
    with app.app_context():
        assert db.session.query(Pegawai).count() == 3
    staf.post(f"/pegawai/impor/{token}")
    with app.app_context():
        assert db.session.query(Pegawai).filter_by(nama_pegawai="Ani").one().telepon == "6281277770001"
        assert db.session.query(Pegawai).count() == 4
    assert "tidak ditemukan" in staf.post(f"/pegawai/impor/{token}", follow_redirects=True).get_data(
        as_text=True
    )


def test_pegawai_are_imported_from_xlsx(app, staf):
    book = openpyxl.Workbook()
    book.active.append(["id_pegawai", "nama_pegawai", "telepon"])
    book.active.append(["PGW2411009", "Eko", "081299990000"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = staf.post(
        "/pegawai/impor",
        data={"berkas": (io.BytesIO(buffer.getvalue()), "p.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "1 baris siap, 0 baris bermasalah" in page


def test_a_broken_import_file_is_explained(staf):
    page = staf.post(
        "/pegawai/impor",
        data={"berkas": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Kolom wajib tidak ada: nama_pegawai, telepon" in page
    page = staf.post(
        "/pegawai/impor", data={"berkas": (io.BytesIO(b"x"), "x.exe")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Hanya CSV atau XLSX." in page


def test_the_administrator_manages_accounts(app, administrator):
    data = {"nama_admin": "Teknisi Baru", "level": "TBO", "telepon": "0812-5555-0000", "status": "Aktif"}
    assert administrator.post("/admin/baru", data=data).status_code == 302
    with app.app_context():
        created = db.session.query(Admin).filter_by(nama_admin="Teknisi Baru").one()
        assert (created.id_admin, created.telepon) == ("ADM06", "6281255550000")
    data = {
        "nama_admin": "Staf Baru",
        "level": "Staf",
        "username": "stafbaru",
        "password": "pendek",
        "status": "Aktif",
    }
    assert "Password minimal 8 karakter." in administrator.post("/admin/baru", data=data).get_data(
        as_text=True
    )
    administrator.post("/admin/ADM03/status")
    with app.app_context():
        assert db.session.get(Admin, "ADM03").status == "Tidak Aktif"
        assert db.session.query(Audit).filter_by(objek="admin", aksi="nonaktifkan").count() == 1
    assert "tidak dapat menonaktifkan akun Anda sendiri" in administrator.post(
        "/admin/ADM01/status", follow_redirects=True
    ).get_data(as_text=True)


def test_the_audit_log_shows_before_and_after(app, administrator, report_id):
    administrator.post(f"/laporan/{report_id}/status", data={"aksi": "pending", "alasan": "anggaran"})
    page = administrator.get("/audit").get_data(as_text=True)
    assert "status pending" in page and "<b>status</b>: Baru" in page and "<b>status</b>: Pending" in page


def test_the_outbox_retries_a_failed_message_and_sends_a_test(app, staf):
    with app.app_context():
        from app.messaging import outbox

        ido = outbox.enqueue(MARTA, "halo")
        row = db.session.get(Outbox, ido)
        row.status, row.galat = "gagal", "Fonnte menolak: device disconnected"
        row.dibuat = datetime(2026, 11, 29, 17, 30, 5)  # UTC
        db.session.commit()
    page = staf.get("/outbox").get_data(as_text=True)
    assert "device disconnected" in page and "30/11/2026 00:30:05" in page  # shown in WIB
    staf.post(f"/outbox/{ido}/ulang")
    staf.post("/outbox/uji", data={"tujuan": "0812 3456 7890"})
    with app.app_context():
        assert db.session.get(Outbox, ido).status == "antri"
        assert db.session.query(Outbox).filter_by(tujuan="6281234567890", sumber="uji").count() == 1
    bad = staf.post("/outbox/uji", data={"tujuan": "abc"}, follow_redirects=True).get_data(as_text=True)
    assert "Nomor tujuan tidak valid." in bad


def test_the_outbox_retries_every_message_failed_in_the_last_day(app, staf):
    with app.app_context():
        from app.messaging import outbox

        recent, old, sent = (outbox.enqueue(MARTA, text) for text in ("baru", "lama", "terkirim"))
        for ido, status, age in ((recent, "gagal", 1), (old, "gagal", 30), (sent, "terkirim", 1)):
            row = db.session.get(Outbox, ido)
            row.status, row.dibuat = status, datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=age)
        db.session.commit()
    assert "Kirim ulang semua yang gagal" in staf.get("/outbox").get_data(as_text=True)
    page = staf.post("/outbox/ulang-semua", follow_redirects=True).get_data(as_text=True)
    assert "1 pesan gagal (24 jam terakhir) diantrikan ulang." in page
    with app.app_context():
        assert [db.session.get(Outbox, i).status for i in (recent, old, sent)] == [
            "antri",
            "gagal",
            "terkirim",
        ]
    again = staf.post("/outbox/ulang-semua", follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada pesan gagal dalam 24 jam terakhir." in again


def test_the_dashboard_shows_counts_and_chart_data(app, staf, report_id):
    send_wa(staf, "#request dua")
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04"})
    page = staf.get("/beranda").get_data(as_text=True)
    assert 'data-status="Baru">1<' in page and 'data-status="Proses">1<' in page
    assert '<canvas id="chart-status"' in page and "/static/vendor/chart.umd.js" in page
    assert '<td>Siswanto</td><td class="text-end">1</td>' in page


def test_the_excel_export_has_the_filtered_rows_and_a_summary(app, staf):
    for n in range(3):
        send_wa(staf, f"#request keluhan {n}")
    staf.post("/laporan/BRT" + _month(app) + "001/status", data={"aksi": "pending", "alasan": "x"})
    response = staf.get("/laporan/export.xlsx?status=Baru")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Laporan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("No", "Tanggal", "Jam", "Nomor Tracking")
    assert [r[3] for r in rows[1:]] == [f"BRT{_month(app)}003", f"BRT{_month(app)}002"]
    assert sheet.cell(2, 2).is_date
    summary = dict(book["Ringkasan"].iter_rows(min_row=3, values_only=True))
    assert summary["Jumlah laporan"] == 2 and summary["Filter status"] == "Baru"


def test_the_incoming_export(app, staf):
    send_wa(staf, "#help")
    book = openpyxl.load_workbook(io.BytesIO(staf.get("/wa-masuk/export.xlsx").data))
    assert list(book["WA Masuk"].iter_rows(values_only=True))[1][4] == "#help"


def test_print_pages(app, staf, report_id):
    assert "Data Monitoring" in staf.get("/cetak/laporan?status=Baru").get_data(as_text=True)
    page = staf.get(f"/cetak/laporan/{report_id}").get_data(as_text=True)
    assert report_id in page and "lampu aula mati" in page and "ISTN" in page
    recap = staf.get("/cetak/rekap?bulan=2&tahun=2024").get_data(as_text=True)
    assert "Rekap Bulanan Februari 2024" in recap
    assert staf.get("/cetak/rekap?bulan=13").status_code == 400


class TestCsrfOnPanelForms:
    @pytest.fixture
    def app(self, app_factory):
        app = app_factory(WTF_CSRF_ENABLED=True)
        reset_database(app)
        return app

    def test_a_form_posted_without_its_token_changes_nothing(self, app, client):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": "admin", "password": "sarpras123", "csrf_token": token})
        number = send_wa(client, "#request lampu").json["id_track"]
        response = client.post(f"/laporan/{number}/progres", data={"catatan": "palsu"})
        assert response.status_code == 400
        with app.app_context():
            assert db.session.query(Track).count() == 0


def test_a_tbo_sees_only_their_own_jobs(app, client, report_id):
    other = send_wa(client, "#request punya adrasha").json["id_track"]
    from app.reporting import lifecycle, service

    with app.app_context():
        lifecycle.assign_team(service.find_report(report_id), [db.session.get(Admin, "ADM04")])
        lifecycle.assign_team(service.find_report(other), [db.session.get(Admin, "ADM05")])
        db.session.commit()
    login(client, "siswanto")
    page = client.get("/tugas").get_data(as_text=True)
    assert report_id in page and other not in page


def _month(app):
    from app import clock

    with app.app_context():
        return clock.local_now().strftime("%y%m")


def test_someone_with_history_is_never_deleted(app, staf, report_id):
    page = staf.post("/pegawai/PGW2402001/hapus", follow_redirects=True).get_data(as_text=True)
    assert "memiliki riwayat" in page
    staf.post("/pegawai/PGW2402003/hapus")
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2402001") is not None
        assert db.session.get(Pegawai, "PGW2402003") is None


def test_the_report_page_shows_what_the_technician_sent(app, staf, report_id):
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04"})
    send_wa(staf, f"#report {report_id} engsel diganti", sender=SISWANTO)
    page = staf.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert "Pesan Petugas" in page and "engsel diganti" in page


def test_the_dashboard_uses_counts_the_worker_keeps_fresh(app, staf, report_id):
    from app.panel import stats

    staf.get("/beranda")  # counts and stores them
    staf.post(f"/laporan/{report_id}/tugaskan", data={"petugas": "ADM04"})
    assert '"open": {"labels": [], "values": []}' in staf.get("/beranda").get_data(as_text=True)
    with app.app_context():
        stats.refresh()
    assert '"open": {"labels": ["Siswanto"], "values": [1]}' in staf.get("/beranda").get_data(as_text=True)
