"""The office is told of each new report (issue #12 item 3): at once over WhatsApp, in a
summary at 07:00, or not at all, as each Administrator and Staf chose; and a Telegram chat
marked for reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.database import run_in_transaction
from app.extensions import db
from app.jobs import JOBS
from app.models import Admin, Outbox, TelegramChat
from app.models.netmon import DIIZINKAN, DITOLAK
from app.netmon import chats
from app.reporting import texts
from app.reporting.service import Reporter
from tests.conftest import DERY, MARTA, NIKOLAI, SHE, drain, login, replies, reset_database, send_wa
from tests.netmon_helpers import BOT_TOKEN
from tests.peers.telegram import FakeTelegram

WIB = ZoneInfo("Asia/Jakarta")
QUIET = "6281234500006"  # Staf ADM06, chose no notices
SISWANTO = "6282124603757"  # TBO ADM04
MARKED, UNMARKED = "2001", "2002"


@pytest.fixture(autouse=True)
def morning():
    clock.freeze(datetime(2024, 9, 17, 7, 31, 23, tzinfo=WIB))
    yield
    clock.freeze(None)


def at(day, hour, minute=0):
    clock.freeze(datetime(2024, 9, day, hour, minute, tzinfo=WIB))


def add_staf(app, id_admin="ADM06", telepon=QUIET, notifikasi="tidak", status="Aktif"):
    with app.app_context():
        db.session.add(
            Admin(
                id_admin=id_admin,
                nama_admin="Quinn Staf",
                level="Staf",
                status=status,
                telepon=telepon,
                username=id_admin.lower(),
                notifikasi_laporan=notifikasi,
            )
        )
        db.session.commit()


def choose(app, id_admin, notifikasi):
    with app.app_context():
        db.session.get(Admin, id_admin).notifikasi_laporan = notifikasi
        db.session.commit()


def office_texts(app):
    """(number, text) of the new-report messages queued, in order."""
    with app.app_context():
        rows = db.session.query(Outbox).filter(Outbox.sumber.like("tb_monitoring:%")).order_by(Outbox.ido)
        return [(row.tujuan, row.pesan) for row in rows]


# --- texts -------------------------------------------------------------------------------

MARTA_TO = Reporter(telepon=MARTA, nama="R Marta Dinata", profil="TIF IT").addressee
WORDS = ("kata " * 40).strip()  # 199 characters

EXCERPTS = [
    ("lampu aula mati", "lampu aula mati"),
    ("  lampu\n\naula   mati ", "lampu aula mati"),
    (WORDS + "x", WORDS + "x"),  # 200 characters: all of it
    (WORDS + " x", WORDS + "…"),  # 201: the last word goes
    (WORDS + "\nx", WORDS + "…"),
    (WORDS + " tambahan", WORDS + "…"),
    (WORDS + ", lanjut", WORDS + "…"),  # no comma hanging before the ellipsis
    ("a" * 250, "a" * 200 + "…"),  # one long word: cut inside it
]


@pytest.mark.parametrize(("complaint", "shown"), EXCERPTS)
def test_the_complaint_is_cut_on_a_word_boundary(app, complaint, shown):
    with app.app_context():
        text = texts.office_new_report("BRT2409001", MARTA_TO, "Umum", complaint)
    assert text.splitlines()[-1] == f"Keluhan: {shown}"


NEW_REPORT_TEXTS = [
    (
        False,
        "*Laporan Baru BRT ISTN*\n"
        "Nomor Tracking: *BRT2409001*\n"
        "Pelapor: R Marta Dinata /6282111476069 (TIF IT)\n"
        "Kategori: Umum\n"
        "Keluhan: AC <ruang> 301 & 302 bocor",
    ),
    (
        True,
        "<b>Laporan Baru BRT ISTN</b>\n"
        "Nomor Tracking: <b>BRT2409001</b>\n"
        "Pelapor: R Marta Dinata /6282111476069 (TIF IT)\n"
        "Kategori: Umum\n"
        "Keluhan: AC &lt;ruang&gt; 301 &amp; 302 bocor",
    ),
]


@pytest.mark.parametrize(("for_telegram", "expected"), NEW_REPORT_TEXTS)
def test_the_new_report_text(app, for_telegram, expected):
    with app.app_context():
        text = texts.office_new_report(
            "BRT2409001", MARTA_TO, "Umum", "AC <ruang>  301 & 302\nbocor", for_telegram=for_telegram
        )
    assert text == expected


class FakeReport:
    def __init__(self, number, nama="R Marta Dinata", profil="TIF IT", pesan="lampu mati"):
        self.id_track, self.nama_pelapor, self.profil_pelapor, self.pesan = number, nama, profil, pesan


SUMMARY_TEXTS = [
    (
        [(FakeReport("BRT2409001"), "Umum"), (FakeReport("BRT2409002", "Tamu WA", "", "x " * 50), "Listrik")],
        [
            "*Ringkasan Laporan BRT ISTN*",
            "Yth Quinn, 2 laporan masuk sejak 16 September 2024 Jam 07:00:00 Wib:",
            "1. *BRT2409001* Umum — R Marta Dinata (TIF IT): lampu mati",
            "2. *BRT2409002* Listrik — Tamu WA (-): " + "x " * 29 + "x…",
        ],
    ),
    (
        [(FakeReport(f"BRT2409{n:03d}"), "Umum") for n in range(1, 18)],
        ["…dan 2 laporan lainnya di panel (Data Monitoring)."],
    ),
]


@pytest.mark.parametrize(("rows", "lines"), SUMMARY_TEXTS)
def test_the_summary_text(app, rows, lines):
    with app.app_context():
        text = texts.office_summary("Quinn", rows, datetime(2024, 9, 16, 7, 0, tzinfo=WIB))
    found = text.splitlines()
    if len(rows) > texts.SUMMARY_LINES:
        assert len(found) == 2 + texts.SUMMARY_LINES + 1
        assert found[-2].startswith("15. *BRT2409015*")
        assert found[-1:] == lines
    else:
        assert found == lines


# --- every report at once, over the loopback Fonnte ------------------------------------


def test_a_request_reaches_the_administrator_and_the_staf_over_fonnte(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    add_staf(app)  # chose none
    add_staf(app, "ADM07", "6281234500007", notifikasi="harian")
    add_staf(app, "ADM08", "6281234500008", notifikasi="setiap", status="Tidak Aktif")
    client = app.test_client()
    assert (
        send_wa(client, "#request AC ruang 301 bocor, air menetes ke meja").json["id_track"] == "BRT2409001"
    )
    drain(app)

    by_target = {}
    for sent in fonnte.received:
        by_target.setdefault(sent["target"], []).append(sent["message"])
    assert sorted(by_target) == sorted([MARTA, DERY, NIKOLAI])
    office = (
        "*Laporan Baru BRT ISTN*\n"
        "Nomor Tracking: *BRT2409001*\n"
        "Pelapor: R Marta Dinata /6282111476069 (TIF IT)\n"
        "Kategori: Umum\n"
        "Keluhan: AC ruang 301 bocor, air menetes ke meja"
    )
    assert by_target[DERY] == by_target[NIKOLAI] == [office]
    with app.app_context():
        rows = db.session.query(Outbox).filter(Outbox.tujuan.in_([DERY, NIKOLAI])).all()
        assert {(r.status, r.id_track) for r in rows} == {("terkirim", "BRT2409001")}


def test_the_reporter_is_not_told_of_their_own_report(app, client):
    # Nikolai (Staf) reports from his own phone, as a guest of tb_pegawai.
    send_wa(client, "#request proyektor ruang rapat mati", sender=NIKOLAI, name="Nikolai")
    assert [to for to, _ in office_texts(app)] == [DERY]


def test_nothing_to_the_office_for_what_is_not_a_new_report(app, client):
    send_wa(client, "#request lampu mati")
    send_wa(client, "#cek BRT2409001")
    send_wa(client, "halo")
    send_wa(client, "#request kursi patah", sender=SHE)
    assert [to for to, _ in office_texts(app)] == [DERY, NIKOLAI, DERY, NIKOLAI]


def test_a_refused_request_tells_nobody(app, client):
    app.config["ALLOW_GUESTS"] = False
    send_wa(client, "#request tolong", sender="6281999000111")
    assert office_texts(app) == []


# --- the daily summary -----------------------------------------------------------------

SUMMARY_JOB = next(job for job in JOBS if job.id == "office-summary")


def run_summary(app):
    with app.app_context():
        return SUMMARY_JOB.func(app.config)


def summaries(app, to):
    with app.app_context():
        return [r.pesan for r in db.session.query(Outbox).filter_by(tujuan=to, sumber="ringkasan")]


def test_the_daily_summary_goes_once_to_those_who_chose_it(app, client):
    choose(app, "ADM03", "harian")
    add_staf(app, notifikasi="harian", telepon=QUIET)
    add_staf(app, "ADM07", "", notifikasi="harian")  # no phone: nobody to send to
    at(16, 6, 59)
    send_wa(client, "#request kemarin lusa, tidak ikut")  # more than 24 hours before 07:00 tomorrow
    at(16, 9)
    send_wa(client, "#request lampu aula mati")
    at(17, 6, 30)
    send_wa(client, "#request wastafel mampet", sender=SHE)
    office_now = [to for to, _ in office_texts(app)]
    assert NIKOLAI not in office_now and QUIET not in office_now and office_now.count(DERY) == 3

    at(17, 7)
    assert run_summary(app) == 2
    (text,) = summaries(app, NIKOLAI)
    assert text.splitlines() == [
        "*Ringkasan Laporan BRT ISTN*",
        "Yth Nikolai Gordyer, 2 laporan masuk sejak 16 September 2024 Jam 07:00:00 Wib:",
        "1. *BRT2409002* Umum — R Marta Dinata (TIF IT): lampu aula mati",
        "2. *BRT2409003* Umum — She Min Ah (Rektorat SDM): wastafel mampet",
    ]
    assert len(summaries(app, QUIET)) == 1
    assert summaries(app, DERY) == []

    # A worker restarted at 07:00 runs the job again: nobody gets it twice.
    at(17, 7, 1)
    assert run_summary(app) == 0
    assert len(summaries(app, NIKOLAI)) == 1
    # The next morning is a new day.
    at(18, 7)
    send_wa(client, "#request atap bocor")
    assert run_summary(app) == 2


def test_no_summary_without_reports(app, client):
    choose(app, "ADM03", "harian")
    at(18, 7)
    assert run_summary(app) == 0
    assert summaries(app, NIKOLAI) == []
    with app.app_context():
        assert db.session.get(Admin, "ADM03").ringkasan_terakhir is None


def test_the_summary_is_a_seven_o_clock_job():
    assert SUMMARY_JOB.daily_at == (7, 0)


# --- the choice in the panel -----------------------------------------------------------


def test_a_staf_chooses_for_themselves(app, staf):
    page = staf.get("/akun").get_data(as_text=True)
    assert "Akun Saya" in page and '<option selected value="setiap">' in page
    assert staf.post("/akun", data={"notifikasi_laporan": "harian"}).status_code == 302
    with app.app_context():
        assert db.session.get(Admin, "ADM03").notifikasi_laporan == "harian"
    refused = staf.post("/akun", data={"notifikasi_laporan": "kadang"})
    assert refused.status_code == 200
    assert "Pilih salah satu cara notifikasi laporan baru." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Admin, "ADM03").notifikasi_laporan == "harian"
    assert 'href="/akun"' in staf.get("/beranda").get_data(as_text=True)


def test_a_tbo_has_no_notice_to_choose(app, client):
    login(client, "siswanto")
    assert client.get("/akun").status_code == 403


def test_an_administrator_sets_it_for_others(app, administrator):
    page = administrator.get("/admin/ADM03").get_data(as_text=True)
    assert "Notifikasi laporan baru" in page
    form = {
        "nama_admin": "Nikolai Gordyer",
        "level": "Staf",
        "telepon": NIKOLAI,
        "username": "nikolai",
        "status": "Aktif",
        "notifikasi_laporan": "tidak",
    }
    assert administrator.post("/admin/ADM03", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Admin, "ADM03").notifikasi_laporan == "tidak"
    send_wa(administrator, "#request lampu mati")
    assert [to for to, _ in office_texts(app)] == [DERY]


# --- Telegram --------------------------------------------------------------------------


@pytest.fixture
def telegram():
    peer = FakeTelegram(BOT_TOKEN).start()
    yield peer
    peer.stop()


def allow(app, chat_id, for_reports):
    with app.app_context():
        run_in_transaction(lambda: chats.set_status(chat_id, DIIZINKAN, "Grup", for_reports=for_reports))


def test_a_chat_marked_for_reports_gets_each_new_report_over_telegram(app_factory, telegram):
    app = app_factory(TELEGRAM_BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL=telegram.base_url)
    reset_database(app)
    allow(app, MARKED, True)
    allow(app, UNMARKED, False)
    client = app.test_client()
    send_wa(client, "#request AC <ruang> 301 & 302 bocor")
    drain(app)
    (sent,) = telegram.sent
    assert sent["chat_id"] == MARKED
    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == NEW_REPORT_TEXTS[1][1]


def test_no_telegram_rows_without_a_bot_token(app, client):
    allow(app, MARKED, True)
    send_wa(client, "#request lampu mati")
    with app.app_context():
        assert db.session.query(Outbox).filter_by(kanal="telegram").count() == 0


def test_the_chats_page_marks_an_allowed_chat(app, administrator):
    allow(app, MARKED, False)
    with app.app_context():
        run_in_transaction(lambda: chats.note_refused(UNMARKED, "Orang lain", "halo"))
    page = administrator.get("/netmon/telegram").get_data(as_text=True)
    assert f'/netmon/telegram/{MARKED}/laporan/1"' in page
    assert f"/netmon/telegram/{UNMARKED}/laporan/" not in page  # refused: no mark offered

    assert administrator.post(f"/netmon/telegram/{MARKED}/laporan/1").status_code == 302
    refused = administrator.post(f"/netmon/telegram/{UNMARKED}/laporan/1", follow_redirects=True)
    assert f"Chat {UNMARKED} belum diizinkan" in refused.get_data(as_text=True)
    unknown = administrator.post("/netmon/telegram/3003/laporan/1", follow_redirects=True)
    assert "Chat 3003 belum diizinkan" in unknown.get_data(as_text=True)
    with app.app_context():
        assert chats.report_chats() == [MARKED]
        assert db.session.get(TelegramChat, "3003") is None

    # Revoked, it loses the mark: allowed again, it gets reports only when marked again.
    administrator.post(f"/netmon/telegram/{MARKED}/{DITOLAK}")
    allow(app, MARKED, None)
    with app.app_context():
        assert chats.report_chats() == []


def test_the_allow_form_can_mark_the_chat_at_once(app, administrator):
    administrator.post("/netmon/telegram", data={"chat_id": "-100123", "nama": "Grup BRT", "laporan": "y"})
    with app.app_context():
        assert chats.report_chats() == ["-100123"]


def test_only_an_administrator_marks_a_chat(app, staf):
    allow(app, MARKED, False)
    assert staf.post(f"/netmon/telegram/{MARKED}/laporan/1").status_code == 403
    assert "laporan/1" not in staf.get("/netmon/telegram").get_data(as_text=True)


def test_the_mark_needs_the_csrf_token(app_factory, client):
    app = app_factory(WTF_CSRF_ENABLED=True)
    reset_database(app)
    allow(app, MARKED, False)
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    browser.post("/login", data={"username": "admin", "password": "sarpras123", "csrf_token": token})
    assert browser.post(f"/netmon/telegram/{MARKED}/laporan/1").status_code == 400
    with app.app_context():
        assert chats.report_chats() == []
    assert replies(app) == []
