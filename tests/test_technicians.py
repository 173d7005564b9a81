"""The whole life of a report over WhatsApp: assignment, #start, #report, #finish, #selesai."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.extensions import db
from app.models import Admin, Kerja, Monitoring, Penugasan, Track
from app.reporting import lifecycle, reminders, service, staff
from app.reporting.commands import Command
from app.reporting.technician import handle as handle_tbo
from tests.conftest import DERY, MARTA, NIKOLAI, SHE, STRANGER, drain, replies, reset_database, send_wa

WIB = ZoneInfo("Asia/Jakarta")
SISWANTO = "6282124603757"  # TBO ADM04
ADRASHA = "628998848947"  # TBO ADM05
JOHN = "6281213930117"  # Staf ADM02, Tidak Aktif
ID = "BRT2409001"


@pytest.fixture(autouse=True)
def morning():
    clock.freeze(datetime(2024, 9, 17, 7, 31, 23, tzinfo=WIB))
    yield
    clock.freeze(None)


def at(hour, minute, second=0, day=17):
    clock.freeze(datetime(2024, 9, day, hour, minute, second, tzinfo=WIB))


def new_report(client, text="rumput sudah tinggi di aula"):
    return send_wa(client, f"#request {text}").json["id_track"]


def assign(app, id_track=ID, petugas="ADM04", catatan="segera rapikan", oleh="ADM03"):
    with app.app_context():
        report = service.find_report(id_track)
        lifecycle.assign_team(report, [db.session.get(Admin, p) for p in petugas.split(",")], catatan, oleh)
        db.session.commit()


def report_row(app, id_track=ID):
    with app.app_context():
        row = db.session.query(Monitoring).filter_by(id_track=id_track).one()
        db.session.expunge(row)
        return row


def tracks(app):
    with app.app_context():
        return [t.catatan for t in db.session.query(Track).order_by(Track.id)]


def test_the_whole_life_of_a_report(app, client):
    new_report(client)
    at(7, 36, 10)
    assign(app)
    at(7, 40)
    send_wa(client, f"#start {ID}", sender=SISWANTO)
    at(7, 48, 11)
    send_wa(client, f"#report {ID} Sebagian alat sedang dibelanjakan", sender=SISWANTO)
    at(9, 0)
    send_wa(client, f"#finish {ID} sudah dirapikan", sender=SISWANTO)
    at(10, 0)
    send_wa(client, f"#selesai {ID} 5 rapi sekali")

    marta, siswanto = replies(app, MARTA), replies(app, SISWANTO)
    assert [m.split(", ", 1)[1][:30] for m in marta[:5]] == [
        "Terimakasih atas infonya... La",
        "Perkembangan laporan *BRT24090",
        "Perkembangan laporan *BRT24090",
        "Perkembangan laporan *BRT24090",
        "Laporan *BRT2409001*: Pekerjaa",
    ]
    assert marta[1].endswith(
        "Tanggal 17 September 2024 Jam 07:36:10 Wib: Sudah ditentukan PJ/petugas Siswanto untuk "
        "menindaklanjuti laporan Anda"
    )
    assert marta[2].endswith("Petugas Siswanto mulai mengerjakan laporan Anda")
    assert marta[3].endswith("Jam 07:48:11 Wib: Sebagian alat sedang dibelanjakan")
    assert "Pekerjaan telah diselesaikan oleh petugas Siswanto: sudah dirapikan" in marta[4]
    assert "👉 #selesai BRT2409001 [nilai 1-5] [komentar]" in marta[4]
    assert marta[5] == (
        "Tanggal: 2024-09-17 10:00:00 Wib> Pelaporan No ID BRT2409001 dinyatakan selesai... "
        "Terimakasih atas konfirmasi Anda. Nilai Anda: ⭐⭐⭐⭐⭐ (5/5)."
    )
    assert len(marta) == 6

    assert siswanto[0].startswith(
        "*Penugasan BRT ISTN*\nYth Siswanto, Anda ditugaskan sebagai PJ laporan *BRT2409001*."
    )
    for line in (
        "Pelapor: R Marta Dinata /6282111476069 (TIF IT)",
        "Keluhan: rumput sudah tinggi di aula",
        "Catatan: segera rapikan",
        "👉 #start BRT2409001",
        "👉 #report BRT2409001 <progres pekerjaan>",
    ):
        assert line in siswanto[0]
    assert siswanto[1:] == [
        "Mulai pengerjaan laporan *BRT2409001* tercatat. Pelapor sudah diberi tahu.",
        "Progres laporan *BRT2409001* tercatat dan diteruskan kepada pelapor.",
        "Laporan *BRT2409001* tercatat selesai. Pelapor diminta mengonfirmasi dengan #selesai.",
        "Yth Siswanto, laporan *BRT2409001* telah dikonfirmasi selesai oleh pelapor. Nilai: 5/5. "
        "Komentar: rapi sekali",
    ]

    row = report_row(app)
    assert (row.status, row.nilai, row.komentar) == ("Dikonfirmasi", 5, "rapi sekali")
    assert row.durasi == (9 - 7) * 3600 - 31 * 60 - 23
    with app.app_context():
        (penugasan,) = db.session.query(Penugasan).all()
        assert (penugasan.id_admin, penugasan.status, penugasan.pemberi) == ("ADM04", "Selesai", "ADM03")
        kerja = db.session.query(Kerja).order_by(Kerja.idn).all()
        # The sender in id_petugas; id_admin is the validator's, and review is off.
        assert [(k.id_petugas, k.id_admin, k.validasi, k.keterangan) for k in kerja] == [
            ("ADM04", "", "", f"Start {ID}"),
            ("ADM04", "", "", f"Report {ID}"),
            ("ADM04", "", "", f"Finish {ID}"),
        ]
        assert kerja[1].pesan == f"#report {ID} Sebagian alat sedang dibelanjakan"
    send_wa(client, f"#track {ID}")
    assert (
        "5. Tanggal 17 September 2024 Jam 10:00:00 Wib, Pelapor mengonfirmasi laporan selesai, nilai 5/5"
        in (replies(app, MARTA)[-1])
    )


def test_it_sends_every_message_through_fonnte(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    client = app.test_client()
    new_report(client)
    assign(app)
    send_wa(client, f"#finish {ID}", sender=SISWANTO)
    drain(app)
    by_target = {}
    for sent in fonnte.received:
        by_target.setdefault(sent["target"], []).append(sent["message"][:45])
    assert by_target == {
        MARTA: [
            "Yth R Marta Dinata /6282111476069 (TIF IT), T",
            "Yth R Marta Dinata /6282111476069 (TIF IT), P",
            "Yth R Marta Dinata /6282111476069 (TIF IT), L",
        ],
        SISWANTO: [
            "*Penugasan BRT ISTN*\nYth Siswanto, Anda ditug",
            "Laporan *BRT2409001* tercatat selesai. Pelapo",
        ],
        # The new report, to the Administrator and the Staf.
        DERY: ["*Laporan Baru BRT ISTN*\nNomor Tracking: *BRT2"],
        NIKOLAI: ["*Laporan Baru BRT ISTN*\nNomor Tracking: *BRT2"],
    }


def test_a_tbo_lists_open_jobs_today_first(app, client):
    for n in range(4):
        at(8, n, day=14 + n)
        new_report(client, f"keluhan {n}")
    at(8, 30, day=15)
    assign(app, "BRT2409001")
    at(8, 30, day=16)
    assign(app, "BRT2409002")
    assign(app, "BRT2409004", petugas="ADM05")
    at(8, 30, day=17)
    assign(app, "BRT2409003")
    assign(app, "BRT2409004")  # joins Adrasha's team: Adrasha leads
    withdraw(app, "BRT2409002", "ADM04")
    send_wa(client, "#job", sender=SISWANTO)
    listing = replies(app, SISWANTO)[-1]
    assert listing.startswith("Yth Siswanto, tugas Anda (3):\n1. *BRT2409003* (hari ini) Proses")
    assert (
        "2. *BRT2409004* (hari ini) Proses — R Marta Dinata (TIF IT): keluhan 3\n   Tim: Adrasha (ketua), Siswanto\n"
        in listing
    )
    assert "3. *BRT2409001* (15 September 2024) Proses — R Marta Dinata (TIF IT): keluhan 0\n👉" in listing
    assert "BRT2409002" not in listing
    assert "dibatalkan oleh admin" in replies(app, SISWANTO)[-2]


def withdraw(app, id_track, petugas):
    with app.app_context():
        report = service.find_report(id_track)
        (penugasan,) = [p for p in staff.active_assignments(report) if p.id_admin == petugas]
        lifecycle.unassign(penugasan, report)
        db.session.commit()


def test_a_tbo_with_no_jobs_is_told_so(app, client):
    send_wa(client, "job", sender=ADRASHA)
    assert replies(app, ADRASHA) == ["Yth Adrasha, saat ini tidak ada tugas terbuka untuk Anda."]


def test_help2_is_the_technicians_menu(app, client):
    send_wa(client, "#help2", sender=SISWANTO)
    assert replies(app, SISWANTO)[0].startswith("*Menu Petugas BRT ISTN*\n📋 #Job")


def test_a_row_written_straight_into_tb_penugasan_counts_as_an_assignment(app, client):
    new_report(client)
    with app.app_context():
        report = service.find_report(ID)
        db.session.add(
            Penugasan(
                id_admin="ADM05",
                tanggal=date(2024, 9, 17),
                jam=time(7, 36),
                idm=report.idm,
                id_track=ID,
                catatan="segera",
                status="Penugasan",
            )
        )
        db.session.commit()
    send_wa(client, "#job", sender=ADRASHA)
    assert "*BRT2409001*" in replies(app, ADRASHA)[-1]
    send_wa(client, f"#start {ID.lower()}", sender=ADRASHA)
    assert replies(app, ADRASHA)[-1].startswith("Mulai pengerjaan")
    assert report_row(app).status == "Proses"


class TestRefusals:
    """Each refused command answers why and changes nothing."""

    @pytest.fixture(autouse=True)
    def assigned(self, app, client):
        new_report(client)
        assign(app)

    def unchanged(self, app, before):
        assert tracks(app) == before
        assert report_row(app).status == "Proses"

    def test_another_tbo(self, app, client):
        before = tracks(app)
        send_wa(client, f"#finish {ID}", sender=ADRASHA)
        assert replies(app, ADRASHA) == [
            "Laporan *BRT2409001* tidak ditugaskan kepada Anda. Perintah tidak diproses."
        ]
        self.unchanged(app, before)
        with app.app_context():
            assert db.session.query(Kerja).one().keterangan == "Ditolak: bukan penugasannya"

    def test_a_stranger_using_tbo_commands(self, app, client):
        before = tracks(app)
        send_wa(client, f"#finish {ID}", sender=STRANGER)
        assert replies(app, STRANGER)[0].startswith("Perintah ini khusus petugas yang terdaftar.")
        self.unchanged(app, before)

    def test_an_inactive_account(self, app, client):
        with app.app_context():
            db.session.get(Admin, "ADM04").status = "Tidak Aktif"
            db.session.commit()
        before = tracks(app)
        send_wa(client, f"#start {ID}", sender=SISWANTO)
        assert replies(app, SISWANTO)[-1] == "Akun petugas Anda tidak aktif. Hubungi Administrator."
        self.unchanged(app, before)

    def test_an_inactive_staf(self, app, client):
        send_wa(client, "#job", sender=JOHN)
        assert replies(app, JOHN) == ["Akun petugas Anda tidak aktif. Hubungi Administrator."]

    def test_a_wrong_number(self, app, client):
        send_wa(client, "#start BRT2409999", sender=SISWANTO)
        assert replies(app, SISWANTO)[-1] == (
            "Nomor Aduan *BRT2409999* tidak valid atau tidak ditemukan. Periksa kembali nomor tugas Anda."
        )

    def test_a_command_without_a_number(self, app, client):
        send_wa(client, "#finish", sender=SISWANTO)
        assert (
            replies(app, SISWANTO)[-1]
            == "*Gunakan Pola Penyelesaian Pekerjaan.* 👉 Finish <No_pengaduan> [catatan]"
        )

    def test_an_empty_progress_report(self, app, client):
        before = tracks(app)
        send_wa(client, f"#report {ID}", sender=SISWANTO)
        assert "Tuliskan progres pekerjaannya" in replies(app, SISWANTO)[-1]
        self.unchanged(app, before)

    def test_a_stranger_confirming(self, app, client):
        send_wa(client, f"#finish {ID}", sender=SISWANTO)
        send_wa(client, f"#selesai {ID} 1 jelek", sender=SHE)
        assert replies(app, SHE) == ["Konfirmasi laporan *BRT2409001* hanya dapat dilakukan oleh pelapornya."]
        assert report_row(app).status == "Selesai"

    def test_a_closed_report_is_not_reopened(self, app, client):
        send_wa(client, f"#finish {ID}", sender=SISWANTO)
        send_wa(client, f"#selesai {ID}")
        send_wa(client, f"#report {ID} masih ada yang kurang", sender=SISWANTO)
        assert replies(app, SISWANTO)[-1] == "Laporan *BRT2409001* sudah ditutup. Perintah tidak diproses."
        send_wa(client, f"#selesai {ID} 3")
        assert replies(app, MARTA)[-1].startswith("Laporan *BRT2409001* sudah dinyatakan selesai sebelumnya.")
        assert report_row(app).status == "Dikonfirmasi"
        assert report_row(app).nilai == 0
        assert send_wa(client, "#request atapnya bocor lagi").json["id_track"] == "BRT2409002"

    def test_finishing_twice(self, app, client):
        send_wa(client, f"#finish {ID}", sender=SISWANTO)
        send_wa(client, f"#finish {ID}", sender=SISWANTO)
        assert (
            replies(app, SISWANTO)[-1]
            == "Laporan *BRT2409001* sudah selesai dan menunggu konfirmasi pelapor."
        )


def test_assigning_twice_to_the_same_person_is_refused(app, client):
    new_report(client)
    assign(app)
    with pytest.raises(lifecycle.LifecycleError, match="sudah menjadi PJ"):
        assign(app)


@pytest.mark.parametrize("petugas", ["ADM02", "ADM01"], ids=["inactive-staf", "administrator"])
def test_only_an_active_tbo_or_staf_can_be_assigned(app, client, petugas):
    new_report(client)
    with pytest.raises(lifecycle.LifecycleError, match="TBO atau Staf"):
        assign(app, petugas=petugas)


def test_removing_an_assignment_puts_the_report_back_to_baru(app, client):
    new_report(client)
    assign(app)
    with app.app_context():
        report = service.find_report(ID)
        lifecycle.unassign(db.session.query(Penugasan).one(), report)
        db.session.commit()
    assert report_row(app).status == "Baru"
    assert (
        replies(app, SISWANTO)[-1]
        == "Yth Siswanto, penugasan laporan *BRT2409001* dibatalkan oleh admin. Terima kasih."
    )
    send_wa(client, f"#start {ID}", sender=SISWANTO)
    assert "tidak ditugaskan kepada Anda" in replies(app, SISWANTO)[-1]


def test_the_cli_assigns_through_the_same_service(app, client, runner):
    new_report(client)
    result = runner.invoke(args=["assign", ID.lower(), "siswanto", "--catatan", "cek pagar"])
    assert result.exit_code == 0, result.output
    assert "ditugaskan kepada Siswanto" in result.output
    assert "Catatan: cek pagar" in replies(app, SISWANTO)[0]
    assert runner.invoke(args=["assign", "BRT2409999", "ADM04"]).exit_code != 0


def test_an_unconfirmed_report_is_closed_after_three_days(app, client):
    new_report(client)
    assign(app)
    send_wa(client, f"#finish {ID}", sender=SISWANTO)
    with app.app_context():
        clock.freeze(datetime(2024, 9, 20, 7, 0, tzinfo=WIB))
        assert lifecycle.auto_close_due() == 0
        clock.freeze(datetime(2024, 9, 20, 7, 32, tzinfo=WIB))
        assert lifecycle.auto_close_due() == 1
        db.session.commit()
    assert report_row(app).status == "Dikonfirmasi"
    assert "kami nyatakan selesai karena tidak ada konfirmasi dalam 3 hari" in replies(app, MARTA)[-1]


class TestReminders:
    def test_each_tbo_with_open_jobs_gets_the_list_in_the_morning(self, app, client):
        new_report(client)
        assign(app)
        at(7, 0, day=18)
        with app.app_context():
            assert reminders.remind_petugas() == 1
            db.session.commit()
        assert replies(app, SISWANTO)[-1].startswith(
            "Yth Siswanto, tugas Anda (1):\n1. *BRT2409001* (17 September 2024)"
        )
        assert replies(app, ADRASHA) == []

    def test_administrators_get_a_digest_of_what_is_stuck(self, app, client):
        new_report(client, "belum ada PJ")
        new_report(client, "belum dimulai")
        assign(app, "BRT2409002")
        at(7, 0, day=18)
        with app.app_context():
            assert reminders.digest_for_administrators() == 0  # not 24 hours yet
            at(7, 40, day=18)
            assert reminders.digest_for_administrators() == 1
            db.session.commit()
        digest = replies(app, "6282111470068")[-1]
        assert "Laporan belum ditugaskan lebih dari 24 jam (1):\n- *BRT2409001*" in digest
        assert "Penugasan belum dimulai lebih dari 24 jam (1):\n- *BRT2409002* PJ Siswanto" in digest

    def test_the_reminders_are_scheduled_at_seven_in_the_morning(self, app):
        from app.jobs import JOBS

        assert {job.id: job.daily_at for job in JOBS if job.daily_at} == {
            "remind-petugas": (7, 0),
            "digest-administrator": (7, 0),
            "office-summary": (7, 0),
        }


def test_the_tbo_parser_feeds_the_handler_directly(app):
    with app.app_context():
        reply, keterangan, id_track, kerja = handle_tbo(Command("job"), SISWANTO, "#job", False)
        assert keterangan == "Daftar tugas" and kerja.id_petugas == "ADM04"


def test_durasi_is_counted_from_the_report(app, client):
    new_report(client)
    assign(app)
    clock.freeze(datetime(2024, 9, 17, 7, 31, 23, tzinfo=WIB) + timedelta(days=1, minutes=5))
    send_wa(client, f"#finish {ID}", sender=SISWANTO)
    assert report_row(app).durasi == 86400 + 300
