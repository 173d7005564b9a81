"""Review of TBO reports (REVIEW_TBO_REPORTS): a TBO's #report and #finish wait as
"Menunggu validasi" until a Staf or Administrator approves them (possibly corrected) or
sends them back; the reporter hears only what was approved, once."""

import threading

import pytest
from sqlalchemy import create_engine, text

from app.database import run_in_transaction
from app.extensions import db
from app.models import Admin, Audit, Kerja, Media, Monitoring, Outbox, Penugasan, Track
from app.reporting import lifecycle, review, service, texts
from tests.conftest import MARTA, drain, login, replies, reset_database, send_wa
from tests.test_adoption_php import init_db, php_app, php_url  # noqa: F401
from tests.test_browser import CHROMIUM, browser, live  # noqa: F401
from tests.test_photos import fetch, files, photo  # noqa: F401
from tests.test_technicians import ADRASHA, ID, SISWANTO, at, morning  # noqa: F401
from tests.waiting import wait_until


@pytest.mark.parametrize(
    "built, expected",
    [
        (
            lambda: texts.review_approved("Siswanto", ID, "report", False),
            f"Yth Siswanto, progres Anda untuk laporan *{ID}* telah divalidasi dan diteruskan kepada "
            "pelapor. Terima kasih.",
        ),
        (
            lambda: texts.review_approved("Siswanto", ID, "finish", True),
            f"Yth Siswanto, laporan selesai Anda untuk laporan *{ID}* telah divalidasi (dengan "
            "perbaikan teks oleh admin) dan diteruskan kepada pelapor. Terima kasih.",
        ),
        (
            lambda: texts.review_returned("Adrasha", ID, "report", "foto kurang jelas"),
            f"Yth Adrasha, progres Anda untuk laporan *{ID}* dikembalikan oleh admin dan tidak "
            "diteruskan kepada pelapor.\nCatatan: foto kurang jelas\nSilakan kirim ulang bila perlu. "
            f"👉 #report {ID} <progres pekerjaan>",
        ),
        (
            lambda: texts.review_returned("Adrasha", ID, "finish", "belum dicat"),
            f"Yth Adrasha, laporan selesai Anda untuk laporan *{ID}* dikembalikan oleh admin dan tidak "
            "diteruskan kepada pelapor.\nCatatan: belum dicat\nSilakan kirim ulang bila perlu. "
            f"👉 #finish {ID} <keterangan>",
        ),
    ],
)
def test_what_the_tbo_is_told_about_the_review(app, built, expected):
    with app.app_context():
        assert built() == expected


@pytest.fixture
def reviewing(app):
    """The app with review switched on (the setting is read when a TBO writes)."""
    app.config["REVIEW_TBO_REPORTS"] = True
    return app


def new_assigned_report(app, client, *petugas):
    number = send_wa(client, "#request proyektor ruang 301 mati").json["id_track"]
    with app.app_context():
        lifecycle.assign_team(
            service.find_report(number), [db.session.get(Admin, p) for p in petugas or ("ADM04",)]
        )
        db.session.commit()
    return number


def waiting_rows(app):
    with app.app_context():
        return [
            (k.idn, k.id_petugas, k.keterangan, k.pesan_pelapor)
            for k in db.session.query(Kerja).filter_by(validasi="Menunggu validasi").order_by(Kerja.idn)
        ]


def report_state(app, id_track=ID):
    with app.app_context():
        report = service.find_report(id_track)
        return report.status, [t.catatan for t in service.tracks_of(report)]


def approve(client, idn, pesan, id_track=ID, kembali="daftar"):
    return client.post(
        f"/laporan/{id_track}/validasi/{idn}/setujui",
        data={"pesan": pesan, "kembali": kembali},
        follow_redirects=True,
    ).get_data(as_text=True)


def send_back(client, idn, catatan, id_track=ID):
    return client.post(
        f"/laporan/{id_track}/validasi/{idn}/kembalikan",
        data={"catatan": catatan, "kembali": "laporan"},
        follow_redirects=True,
    ).get_data(as_text=True)


def test_a_report_waits_and_reaches_the_reporter_corrected_once(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    to_marta = len(replies(app, MARTA))
    send_wa(client, f"#report {ID} kabel hdmi di ganti", sender=SISWANTO)
    assert replies(app, SISWANTO)[-1] == (
        f"Progres laporan *{ID}* tercatat dan menunggu validasi admin sebelum diteruskan kepada pelapor."
    )
    assert len(replies(app, MARTA)) == to_marta
    ((idn, petugas, keterangan, note),) = waiting_rows(app)
    assert (petugas, keterangan, note) == ("ADM04", f"Report {ID}", "kabel hdmi di ganti")
    assert report_state(app)[1] == ["Sudah ditentukan PJ/petugas Siswanto untuk menindaklanjuti laporan Anda"]

    staf = login(app.test_client(), "nikolai")
    listing = staf.get("/validasi").get_data(as_text=True)
    assert 'id="validasi-badge" title="Menunggu validasi">1</span>' in listing
    assert f"#report {ID} kabel hdmi di ganti" in listing
    assert 'id="finish-waiting"' not in staf.get(f"/laporan/{ID}").get_data(as_text=True)

    page = approve(staf, idn, "Kabel HDMI proyektor sudah diganti.")
    assert f"Laporan petugas {ID} disetujui" in page
    assert "Tidak ada laporan petugas yang menunggu validasi." in page
    assert 'id="validasi-badge"' not in page
    marta = replies(app, MARTA)
    assert len(marta) == to_marta + 1 and marta[-1].endswith("Kabel HDMI proyektor sudah diganti.")
    assert replies(app, SISWANTO)[-1].startswith(
        f"Yth Siswanto, progres Anda untuk laporan *{ID}* telah divalidasi (dengan perbaikan teks"
    )
    with app.app_context():
        kerja = db.session.get(Kerja, idn)
        assert (kerja.validasi, kerja.id_admin, kerja.id_petugas) == ("Disetujui", "ADM03", "ADM04")
        assert kerja.pesan == f"#report {ID} kabel hdmi di ganti"  # the TBO's original
        assert kerja.pesan_pelapor == "Kabel HDMI proyektor sudah diganti."
        (entry,) = db.session.query(Audit).filter_by(aksi="validasi setujui").all()
        assert (entry.id_admin, entry.id_objek) == ("ADM03", ID)
        assert "Kabel HDMI proyektor sudah diganti." in entry.sesudah

    # The second tab, or the second admin: refused, nobody told again.
    again = approve(login(app.test_client()), idn, "lagi")
    assert "Laporan petugas ini sudah disetujui oleh Nikolai Gordyer." in again
    assert len(replies(app, MARTA)) == to_marta + 1
    assert report_state(app)[1][-1] == "Kabel HDMI proyektor sudah diganti."


def test_a_report_sent_back_reaches_only_the_tbo_with_the_note(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    to_marta = len(replies(app, MARTA))
    send_wa(client, f"#report {ID} sudah", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)
    staf = login(app.test_client(), "nikolai")
    assert "Catatan untuk petugas wajib diisi." in send_back(staf, idn, "  ")
    assert waiting_rows(app)
    page = send_back(staf, idn, "tuliskan apa yang sudah dikerjakan")
    assert "dikembalikan kepada petugas" in page
    assert replies(app, SISWANTO)[-1].startswith(
        f"Yth Siswanto, progres Anda untuk laporan *{ID}* dikembalikan oleh admin"
    )
    assert "Catatan: tuliskan apa yang sudah dikerjakan" in replies(app, SISWANTO)[-1]
    assert len(replies(app, MARTA)) == to_marta
    assert waiting_rows(app) == []
    with app.app_context():
        kerja = db.session.get(Kerja, idn)
        assert (kerja.validasi, kerja.id_admin, kerja.catatan_validasi) == (
            "Dikembalikan",
            "ADM03",
            "tuliskan apa yang sudah dikerjakan",
        )
        assert db.session.query(Audit).filter_by(aksi="validasi kembalikan").count() == 1
    assert "sudah dikembalikan oleh Nikolai Gordyer" in approve(staf, idn, "sudah")


def test_an_empty_correction_of_a_report_is_refused(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    send_wa(client, f"#report {ID} dicek", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)
    assert "Teks untuk pelapor wajib diisi." in approve(login(app.test_client(), "nikolai"), idn, " ")
    assert len(waiting_rows(app)) == 1


def test_a_finish_waits_as_selesai_menunggu_validasi(reviewing, client):
    app = reviewing
    new_assigned_report(app, client, "ADM04", "ADM05")
    to_marta = len(replies(app, MARTA))
    send_wa(client, f"#finish {ID} proyektor normal", sender=SISWANTO)
    assert "menunggu validasi admin" in replies(app, SISWANTO)[-1]
    assert report_state(app)[0] == "Proses"
    # A teammate's #finish meanwhile is refused; a #report waits beside it; #start goes on.
    send_wa(client, f"#finish {ID}", sender=ADRASHA)
    assert replies(app, ADRASHA)[-1] == (
        f"Laporan *{ID}* sudah dilaporkan selesai dan sedang menunggu validasi admin. Perintah tidak diproses."
    )
    send_wa(client, f"#report {ID} remote diganti baterai", sender=ADRASHA)
    send_wa(client, f"#start {ID}", sender=ADRASHA)
    assert len(replies(app, MARTA)) == to_marta + 1  # only the start
    finish_idn, report_idn = [row[0] for row in waiting_rows(app)]

    staf = login(app.test_client(), "nikolai")
    page = staf.get(f"/laporan/{ID}").get_data(as_text=True)
    assert 'id="finish-waiting">selesai menunggu validasi</span>' in page
    assert page.count("data-review=") == 2

    approve(staf, finish_idn, "proyektor normal", kembali="laporan")
    status, lines = report_state(app)
    assert status == "Selesai"
    assert lines[-1] == "Pekerjaan telah diselesaikan oleh petugas Siswanto: proyektor normal"
    marta = replies(app, MARTA)
    assert len(marta) == to_marta + 2
    assert "👉 #selesai BRT2409001 [nilai 1-5] [komentar]" in marta[-1]
    assert replies(app, SISWANTO)[-1] == (
        f"Yth Siswanto, laporan selesai Anda untuk laporan *{ID}* telah divalidasi dan diteruskan "
        "kepada pelapor. Terima kasih."
    )
    assert "telah diselesaikan oleh rekan tim Anda Siswanto" in replies(app, ADRASHA)[-1]
    with app.app_context():
        assert {p.status for p in db.session.query(Penugasan)} == {"Selesai"}
    # The teammate's progress still waits and may still be passed on.
    approve(staf, report_idn, "remote diganti baterai")
    assert replies(app, MARTA)[-1].endswith("remote diganti baterai")


def test_a_finish_of_a_tbo_no_longer_on_the_team_is_refused(reviewing, client):
    app = reviewing
    new_assigned_report(app, client, "ADM04", "ADM05")
    send_wa(client, f"#finish {ID} beres", sender=ADRASHA)
    ((idn, *_),) = waiting_rows(app)
    with app.app_context():
        report = service.find_report(ID)
        (own,) = [p for p in db.session.query(Penugasan) if p.id_admin == "ADM05"]
        lifecycle.unassign(own, report)
        db.session.commit()
    page = approve(login(app.test_client(), "nikolai"), idn, "beres")
    assert "Petugas ini tidak lagi menjadi PJ laporan ini" in page
    assert report_state(app)[0] == "Proses"


def test_review_off_is_as_before_and_what_waits_can_still_be_approved(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    send_wa(client, f"#report {ID} menunggu", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)
    app.config["REVIEW_TBO_REPORTS"] = False
    send_wa(client, f"#report {ID} langsung", sender=SISWANTO)
    assert replies(app, SISWANTO)[-1] == f"Progres laporan *{ID}* tercatat dan diteruskan kepada pelapor."
    assert replies(app, MARTA)[-1].endswith("langsung")
    staf = login(app.test_client(), "nikolai")
    listing = staf.get("/validasi").get_data(as_text=True)
    assert "Validasi laporan petugas sedang tidak aktif" in listing
    assert 'id="validasi-badge" title="Menunggu validasi">1</span>' in listing
    approve(staf, idn, "menunggu")
    assert replies(app, MARTA)[-1].endswith("menunggu")
    # With nothing waiting and review off, the menu item is gone.
    assert 'id="menu-validasi"' not in staf.get("/laporan").get_data(as_text=True)


def test_the_menu_item_shows_whenever_review_is_on(reviewing, client):
    staf = login(client, "nikolai")
    page = staf.get("/laporan").get_data(as_text=True)
    assert 'id="menu-validasi"' in page and 'id="validasi-badge"' not in page


def test_only_staff_validate_and_only_this_report_s_messages(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    other = send_wa(client, "#request lampu aula mati").json["id_track"]
    send_wa(client, f"#report {ID} sudah dicek", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)

    tbo = login(app.test_client(), "siswanto")
    assert tbo.get("/validasi").status_code == 403
    assert tbo.post(f"/laporan/{ID}/validasi/{idn}/setujui", data={"pesan": "x"}).status_code == 403
    assert tbo.post(f"/laporan/{ID}/validasi/{idn}/kembalikan", data={"catatan": "x"}).status_code == 403
    assert app.test_client().get("/validasi").status_code == 302  # to the login page

    staf = login(app.test_client(), "nikolai")
    # A forged id: this message under another report's address.
    assert "Laporan petugas tidak ditemukan pada laporan ini." in approve(staf, idn, "x", id_track=other)
    assert "Laporan petugas tidak ditemukan pada laporan ini." in send_back(staf, idn, "x", id_track=other)
    assert "tidak ditemukan" in approve(staf, 99999, "x")
    # A message that never waited (the assignment's #start-less refusals, #job) is no item.
    send_wa(client, "#job", sender=SISWANTO)
    with app.app_context():
        job_idn = db.session.query(Kerja).filter_by(keterangan="Daftar tugas").one().idn
    assert "Laporan petugas tidak ditemukan pada laporan ini." in approve(staf, job_idn, "x")
    assert len(waiting_rows(app)) == 1
    with app.app_context():
        assert db.session.query(Audit).filter(Audit.aksi.like("validasi%")).count() == 0


def test_a_photo_waits_with_its_report_and_goes_with_the_approval(reviewing, client, files):  # noqa: F811
    app = reviewing
    new_assigned_report(app, client)
    send_wa(client, f"#report {ID} pipa diganti", sender=SISWANTO, **photo(files, "/wa/pipa.jpg"))
    fetch(app)
    with app.app_context():
        assert db.session.query(Outbox).filter(Outbox.media_url != "").count() == 0
    ((idn, *_),) = waiting_rows(app)
    staf = login(app.test_client(), "nikolai")
    assert "Lihat foto" in staf.get("/validasi").get_data(as_text=True)
    approve(staf, idn, "pipa diganti")
    with app.app_context():
        (row,) = db.session.query(Outbox).filter(Outbox.media_url != "").all()
        assert (row.tujuan, row.pesan) == (MARTA, f"Foto progres laporan *{ID}* dari petugas Siswanto.")
        previous = db.session.query(Outbox).filter(Outbox.tujuan == MARTA).order_by(Outbox.ido.desc()).all()
        assert previous[1].pesan.endswith("pipa diganti")  # the text first, then its photo


def test_a_photo_fetched_after_the_approval_follows_it_and_one_sent_back_never_goes(
    reviewing,
    client,
    files,  # noqa: F811
):
    app = reviewing
    new_assigned_report(app, client)
    send_wa(client, f"#report {ID} satu", sender=SISWANTO, **photo(files, "/wa/satu.jpg"))
    send_wa(client, f"#report {ID} dua", sender=SISWANTO, **photo(files, "/wa/dua.jpg"))
    first, second = [row[0] for row in waiting_rows(app)]
    staf = login(app.test_client(), "nikolai")
    approve(staf, first, "satu")
    send_back(staf, second, "salah foto")
    fetch(app)
    with app.app_context():
        rows = db.session.query(Outbox).filter(Outbox.media_url != "").all()
        assert [row.media_nama for row in rows] == ["satu.jpg"]
        assert db.session.query(Media).filter_by(status="selesai").count() == 2


def lock_waits(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return True  # the second writer waits at BEGIN; nothing to see from outside
        return db.session.execute(
            text("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
        ).scalar()


def test_two_admins_approving_at_once_send_once(reviewing, client):
    app = reviewing
    new_assigned_report(app, client)
    send_wa(client, f"#report {ID} dicek", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)
    claimed, release = threading.Event(), threading.Event()
    outcomes = {}

    def admin(id_admin, text_for_reporter, hold):
        with app.app_context():

            def work():
                done = review.approve(service.find_report(ID), idn, text_for_reporter, id_admin)
                if hold:  # the first keeps its claim open until the second is waiting for it
                    claimed.set()
                    assert release.wait(30)
                return done

            try:
                run_in_transaction(work)
                outcomes[id_admin] = "disetujui"
            except lifecycle.LifecycleError as error:
                outcomes[id_admin] = str(error)
            finally:
                db.session.remove()

    first = threading.Thread(target=admin, args=("ADM01", "dicek oleh Dery", True))
    first.start()
    assert claimed.wait(30)
    second = threading.Thread(target=admin, args=("ADM03", "dicek oleh Nikolai", False))
    second.start()
    try:
        # InnoDB refreshes INNODB_TRX only when it was not read for 0.1 s: poll slower.
        assert wait_until(lambda: lock_waits(app), interval=0.25)
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert outcomes == {
        "ADM01": "disetujui",
        "ADM03": "Laporan petugas ini sudah disetujui oleh Dery Dehaelt.",
    }
    marta = replies(app, MARTA)
    assert marta[-1].endswith("dicek oleh Dery") and not any("Nikolai" in m for m in marta)
    assert sum("telah divalidasi" in m for m in replies(app, SISWANTO)) == 1
    with app.app_context():
        assert db.session.query(Track).filter(Track.catatan.like("dicek%")).count() == 1
        assert db.session.get(Kerja, idn).id_admin == "ADM01"


def test_review_over_loopback_fonnte(app_factory, fonnte):
    app = app_factory(
        WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url, REVIEW_TBO_REPORTS=True
    )
    reset_database(app)
    client = app.test_client()

    def sent_to(number):
        return [m["message"] for m in fonnte.received if m["target"] == number]

    send_wa(client, "#request proyektor ruang 301 mati")
    assert app.test_cli_runner().invoke(args=["assign", ID, "siswanto", "adrasha"]).exit_code == 0
    send_wa(client, f"#start {ID}", sender=SISWANTO)
    send_wa(client, f"#report {ID} kabel hdmi di ganti", sender=ADRASHA)
    drain(app)
    assert len(sent_to(MARTA)) == 3  # receipt, assigned, started: the progress waits
    assert "menunggu validasi admin" in sent_to(ADRASHA)[-1]

    staf = login(app.test_client(), "nikolai")
    ((idn, *_),) = waiting_rows(app)
    approve(staf, idn, "Kabel HDMI proyektor sudah diganti.")
    drain(app)
    assert len(sent_to(MARTA)) == 4 and sent_to(MARTA)[-1].endswith("Kabel HDMI proyektor sudah diganti.")
    assert "telah divalidasi (dengan perbaikan teks oleh admin)" in sent_to(ADRASHA)[-1]

    send_wa(client, f"#report {ID} ok", sender=SISWANTO)
    ((idn, *_),) = waiting_rows(app)
    send_back(staf, idn, "jelaskan apa yang diganti")
    drain(app)
    assert "Catatan: jelaskan apa yang diganti" in sent_to(SISWANTO)[-1]
    assert len(sent_to(MARTA)) == 4

    send_wa(client, f"#finish {ID} proyektor normal kembali", sender=SISWANTO)
    drain(app)
    with app.app_context():
        assert db.session.query(Monitoring).filter_by(id_track=ID).one().status == "Proses"
    ((idn, *_),) = waiting_rows(app)
    approve(staf, idn, "Proyektor normal kembali.")
    drain(app)
    assert len(sent_to(MARTA)) == 5
    assert (
        "Pekerjaan telah diselesaikan oleh petugas Siswanto: Proyektor normal kembali." in sent_to(MARTA)[-1]
    )
    assert "telah divalidasi" in sent_to(SISWANTO)[-1]
    assert "telah diselesaikan oleh rekan tim Anda Siswanto" in sent_to(ADRASHA)[-1]
    with app.app_context():
        assert db.session.query(Monitoring).filter_by(id_track=ID).one().status == "Selesai"
        assert {o.status for o in db.session.query(Outbox)} == {"terkirim"}


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/test.sh installs it)")
def test_the_validation_list_in_the_browser(reviewing, client, live, browser):  # noqa: F811
    app = reviewing
    new_assigned_report(app, client, "ADM04", "ADM05")
    send_wa(client, f"#report {ID} kabel hdmi di ganti", sender=SISWANTO)
    send_wa(client, f"#report {ID} remote baru", sender=ADRASHA)
    first, second = [row[0] for row in waiting_rows(app)]

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{live}/login")
    page.fill("#username", "nikolai")
    page.fill("#password", "sarpras123")
    page.click("button[type=submit]")
    page.wait_for_url("**/beranda")
    assert page.inner_text("#validasi-badge") == "2"
    page.click("#menu-validasi")
    page.wait_for_url("**/validasi")
    assert page.locator("[data-review]").count() == 2
    page.fill(f"#pesan-{first}", "Kabel HDMI proyektor sudah diganti.")
    page.click(f"[data-review='{first}'] button:text('Setujui')")
    assert "disetujui dan diteruskan" in page.inner_text(".alert")
    assert page.inner_text("#validasi-badge") == "1"
    assert page.locator("[data-review]").count() == 1
    assert page.locator(f"[data-review='{second}']").count() == 1
    assert replies(app, MARTA)[-1].endswith("Kabel HDMI proyektor sudah diganti.")


def test_the_migration_moves_the_sender_out_of_id_admin(php_url, php_app):  # noqa: F811
    """The PHP system's tb_kerja.id_admin holds the validator (default ADM01); rows this
    app wrote before held the sender there. After init-db the sender is in id_petugas."""
    engine = create_engine(php_url)
    with engine.begin() as conn:
        for pesan, telepon, id_admin in (
            ("#report BRT2403001 dari PHP", "082124603757", "ADM01"),  # validated by ADM01
            ("#report BRT2403001 dari Staf", "082111470068", "ADM01"),  # ADM01 wrote it himself
            ("#report BRT2403001 nomor asing", "6281999000111", "ADM02"),
        ):
            conn.execute(
                text(
                    "INSERT INTO tb_kerja (tanggal, jam, pesan, respon, id_track, telepon, keterangan, "
                    "gambar, id_admin) VALUES ('2024-03-02', '10:00:00', :pesan, '', 'BRT2403001', "
                    ":telepon, '', '', :id_admin)"
                ),
                {"pesan": pesan, "telepon": telepon, "id_admin": id_admin},
            )
    engine.dispose()
    init_db(php_app)
    with php_app.app_context():
        rows = {
            k.pesan: (k.id_petugas, k.id_admin, k.validasi)
            for k in db.session.query(Kerja).filter(Kerja.id_track == "BRT2403001")
        }
        assert rows == {
            # the old fixture's own rows: Siswanto (a TBO) in id_admin, so written as sender
            "#report BRT2403001 dikerjakan": ("ADM04", "", ""),
            "#report BRT2403001 dari PHP": ("ADM04", "ADM01", ""),
            "#report BRT2403001 dari Staf": ("ADM01", "", ""),
            "#report BRT2403001 nomor asing": ("", "ADM02", ""),
        }
        assert review.waiting_count() == 0
