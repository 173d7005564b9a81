"""A reporter's commands over WhatsApp, with the replies in the source document's words."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.extensions import db
from app.models import Monitoring, PesanMasuk, Track
from tests.conftest import MARTA, SHE, STRANGER, replies, send_wa

WIB = ZoneInfo("Asia/Jakarta")
YTH_MARTA = "Yth R Marta Dinata /6282111476069 (TIF IT), "


@pytest.fixture(autouse=True)
def september_evening():
    clock.freeze(datetime(2024, 9, 16, 18, 28, 35, tzinfo=WIB))
    yield
    clock.freeze(None)


def report(app, id_track):
    with app.app_context():
        return db.session.query(Monitoring).filter_by(id_track=id_track).one()


def add_track(app, id_track, catatan, at):
    with app.app_context():
        row = db.session.query(Monitoring).filter_by(id_track=id_track).one()
        db.session.add(
            Track(idm=row.idm, id_track=id_track, tanggal=at.date(), jam=at.time(), catatan=catatan)
        )
        db.session.commit()


def test_it_gives_a_tracking_number_to_a_new_report(app, client):
    response = send_wa(client, "#request pagar gak bisa ditutup")
    assert response.json["id_track"] == "BRT2409001"
    assert replies(app, MARTA) == [
        YTH_MARTA + "Terimakasih atas infonya... Laporan/Masukan Anda akan segera kami proseskan... "
        "Dengan Nomor Tracking Anda: *BRT2409001*"
    ]
    row = report(app, "BRT2409001")
    assert (row.status, row.tag, row.kategori) == ("Baru", 0, "Request")
    assert (row.pesan, row.telepon, row.id_pegawai) == ("pagar gak bisa ditutup", MARTA, "PGW2402001")
    assert (row.nama_pelapor, row.profil_pelapor) == ("R Marta Dinata", "TIF IT")
    assert (str(row.tanggal), row.jam) == ("2024-09-16", time(18, 28, 35))
    assert row.respon == replies(app, MARTA)[0]
    with app.app_context():
        incoming = db.session.query(PesanMasuk).one()
        assert (incoming.id_track, incoming.keterangan) == ("BRT2409001", "Request New")


def test_it_numbers_reports_in_sequence_within_a_month(app, client):
    for keyword in ("request", "req", "help", "bantu", "tolong"):
        send_wa(client, f"#{keyword} keluhan {keyword}")
    with app.app_context():
        ids = [r.id_track for r in db.session.query(Monitoring).order_by(Monitoring.idm)]
    assert ids == ["BRT2409001", "BRT2409002", "BRT2409003", "BRT2409004", "BRT2409005"]


def test_it_restarts_the_sequence_each_month(app, client):
    send_wa(client, "#request satu")
    clock.freeze(datetime(2024, 10, 1, 0, 0, 1, tzinfo=WIB))
    assert send_wa(client, "#request dua").json["id_track"] == "BRT2410001"
    clock.freeze(datetime(2024, 9, 30, 23, 59, 59, tzinfo=WIB))
    assert send_wa(client, "#request tiga").json["id_track"] == "BRT2409002"


def test_it_uses_the_configured_prefix(app_factory, client):
    from tests.conftest import reset_database

    app = app_factory(TRACK_PREFIX="SPR")
    reset_database(app)
    assert send_wa(app.test_client(), "#request atap bocor").json["id_track"] == "SPR2409001"


def test_it_continues_after_numbers_brought_over_from_an_old_installation(app, client):
    with app.app_context():
        for n in (1, 7):
            db.session.add(
                Monitoring(
                    tanggal=clock.local_now().date(), jam=time(8), id_track=f"BRT240900{n}", pesan="lama"
                )
            )
        db.session.commit()
    assert send_wa(client, "#request baru").json["id_track"] == "BRT2409008"


def test_it_accepts_a_stranger_as_a_guest_with_the_profile_name(app, client):
    send_wa(client, "#request wastafel mampet", sender="0819-9900-0111", name="Budi Tamu")
    row = report(app, "BRT2409001")
    assert (row.telepon, row.id_pegawai, row.nama_pelapor) == (STRANGER, "", "Budi Tamu")
    assert replies(app, STRANGER)[0].startswith(f"Yth Budi Tamu /{STRANGER} (Tamu), Terimakasih")


def test_it_refuses_strangers_when_guests_are_off(app_factory):
    from tests.conftest import reset_database

    app = app_factory(ALLOW_GUESTS=False)
    reset_database(app)
    client = app.test_client()
    send_wa(client, "#request wastafel mampet", sender=STRANGER, name="Budi")
    send_wa(client, "#request lampu", sender=SHE)
    with app.app_context():
        assert [r.telepon for r in db.session.query(Monitoring)] == [SHE]
    assert "belum terdaftar" in replies(app, STRANGER)[0]


def test_it_stores_long_complaints_and_emoji_whole(app, client):
    complaint = "AC bocor 💧🔥 " + "sangat mengganggu perkuliahan " * 400
    send_wa(client, "#request " + complaint)
    assert report(app, "BRT2409001").pesan == complaint.strip()


def test_it_shows_a_script_in_a_message_as_text(app, client):
    send_wa(client, "#request <script>alert(1)</script>")
    assert report(app, "BRT2409001").pesan == "<script>alert(1)</script>"


def test_it_answers_help_with_the_menu(app, client):
    send_wa(client, "#help")
    (menu,) = replies(app)
    assert menu.startswith("*Layanan BRT ISTN melalui WhatsApp*")
    for line in ("🙋 #Request <kendala/saran/keluhan Anda>", "#Tolong", "#Cek <No_pengaduan>", "#Track"):
        assert line in menu


@pytest.mark.parametrize("message", ["#semuanya baik baik aja", "halo", "", "#request"])
def test_it_answers_anything_else_with_the_pattern_hint_and_menu(app, client, message):
    send_wa(client, message)
    (hint,) = replies(app)
    assert hint.startswith(
        "*Gunakan Pola Permohonan BRT ISTN.* 👉 Request <kendala/saran/keluhan Anda>\n\n*Layanan BRT ISTN"
    )


def test_it_answers_cek_with_the_latest_progress_line(app, client):
    send_wa(client, "#request lampu mati")
    add_track(app, "BRT2409001", "sudah diarahkan TBO untuk ke lokasi", datetime(2024, 9, 16, 18, 28, 40))
    add_track(app, "BRT2409001", "sudah dipasang dan sudah selesai", datetime(2024, 9, 16, 18, 28, 57))
    send_wa(client, "#cek brt2409001")
    assert replies(app)[-1] == (
        YTH_MARTA + "Hingga 16 September 2024 Jam 18:28:57 Wib: sudah dipasang dan sudah selesai"
    )


def test_it_answers_cek_before_any_progress_with_the_status(app, client):
    send_wa(client, "#request lampu mati")
    send_wa(client, "#cek BRT2409001")
    assert replies(app)[-1] == (
        YTH_MARTA + "Hingga 16 September 2024 Jam 18:28:35 Wib: Laporan *BRT2409001* sudah kami terima "
        "(Tanggal 16 September 2024 Jam 18:28:35 Wib) dengan status *Baru* dan menunggu tindak lanjut petugas."
    )


def test_it_answers_track_with_the_whole_history_numbered(app, client):
    send_wa(client, "#request lampu mati")
    add_track(app, "BRT2409001", "sudah diarahkan TBO untuk ke lokasi", datetime(2024, 9, 16, 18, 28, 35))
    add_track(
        app,
        "BRT2409001",
        "Sudah diketahui penyebabnya, harus ganti lampunya",
        datetime(2024, 9, 16, 18, 28, 48),
    )
    add_track(app, "BRT2409001", "sudah dipasang dan sudah selesai", datetime(2024, 9, 16, 18, 28, 57))
    send_wa(client, "#track BRT2409001")
    assert replies(app)[-1] == (
        "Yth R Marta Dinata /6282111476069 (TIF IT), 1. Tanggal 16 September 2024 Jam 18:28:35 Wib, "
        "sudah diarahkan TBO untuk ke lokasi 2. Tanggal 16 September 2024 Jam 18:28:48 Wib, Sudah "
        "diketahui penyebabnya, harus ganti lampunya 3. Tanggal 16 September 2024 Jam 18:28:57 Wib, "
        "sudah dipasang dan sudah selesai"
    )


def test_it_answers_track_before_any_progress(app, client):
    send_wa(client, "#request lampu mati")
    send_wa(client, "track brt2409001")
    assert "belum ada catatan penanganan" in replies(app)[-1]


@pytest.mark.parametrize(("message", "pattern"), [("#cek BRT2409999", "Cek"), ("#track BRT2409999", "Track")])
def test_it_says_not_found_for_an_unknown_number(app, client, message, pattern):
    send_wa(client, message)
    assert replies(app) == [
        YTH_MARTA + "Nomor Aduan *BRT2409999* tidak valid atau tidak ditemukan. Periksa kembali nomor "
        f"tracking Anda. 👉 {pattern} <No_pengaduan>"
    ]


def test_it_answers_a_wrong_cek_pattern(app, client):
    send_wa(client, "#cek halo semuanya")
    assert replies(app) == ["*Gunakan Pola Pengecekan Nomor Aduan.* 👉 Cek <No_pengaduan>"]


def test_it_answers_a_wrong_track_pattern(app, client):
    send_wa(client, "#track")
    assert replies(app) == ["*Gunakan Pola Pelacakan Nomor Aduan.* 👉 Track <No_pengaduan>"]


def test_it_lists_the_senders_last_five_reports(app, client):
    for n in range(1, 8):
        send_wa(client, f"#request keluhan nomor {n}")
    send_wa(client, "#request punya orang lain", sender=SHE)
    send_wa(client, "#cek")
    listing = replies(app, MARTA)[-1]
    assert listing.startswith(
        YTH_MARTA + "5 laporan terakhir Anda:\n1. *BRT2409007* (16 September 2024) Baru:"
    )
    assert "*BRT2409003*" in listing
    assert "*BRT2409002*" not in listing and "*BRT2409008*" not in listing


def test_it_says_so_when_the_sender_has_no_reports(app, client):
    send_wa(client, "#cek", sender=SHE)
    assert replies(app) == [
        "Yth She Min Ah /6285825335908 (Rektorat SDM), Anda belum memiliki laporan. "
        "👉 Request <kendala/saran/keluhan Anda>"
    ]


def test_it_matches_the_reporter_by_any_form_of_the_number(app, client):
    send_wa(client, "#request kursi patah", sender="+62 821-1147-6069")
    assert report(app, "BRT2409001").id_pegawai == "PGW2402001"
