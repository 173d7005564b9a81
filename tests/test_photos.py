"""Photos sent with a report or a TBO's progress are fetched at once and kept."""

from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.extensions import db
from app.jobs import JOBS
from app.models import Admin, Kerja, Media, Monitoring, Outbox
from app.reporting import lifecycle, photos, service
from tests.conftest import send_wa
from tests.peers.files import JPEG, PDF, FileServer

SISWANTO = "6282124603757"
MARTA = "6282111476069"


@pytest.fixture
def files():
    server = FileServer().start()
    yield server
    server.stop()


def photo(files, path, status=200, body=JPEG):
    files.files[path] = (status, body)
    return {"url": files.url(path), "filename": Path(path).name, "extension": Path(path).suffix.lstrip(".")}


def fetch(app):
    """The worker's job, as the worker runs it."""
    (job,) = [job for job in JOBS if job.id == "media-fetch"]
    with app.app_context():
        return job.func(app.config)


def told(app, number):
    with app.app_context():
        rows = db.session.query(Outbox).filter(Outbox.tujuan == number, Outbox.sumber.like("tb_media:%"))
        return [row.pesan for row in rows]


def assigned_to_siswanto(app, client):
    """Marta's new report, assigned to the TBO Siswanto; its tracking number."""
    number = send_wa(client, "#request keran patah").json["id_track"]
    with app.app_context():
        lifecycle.assign_team(service.find_report(number), [db.session.get(Admin, "ADM04")])
        db.session.commit()
    return number


def stored(app, model):
    with app.app_context():
        return db.session.query(model).order_by(model.__mapper__.primary_key[0].desc()).first().gambar


def queue_row(app):
    with app.app_context():
        row = db.session.query(Media).one()
        return row.status, row.percobaan, row.galat


def test_a_report_photo_is_downloaded_and_kept_under_instance_uploads(app, client, files):
    send_wa(client, "#request keran patah", **photo(files, "/wa/keran.jpg"))
    assert stored(app, Monitoring) == ""
    assert fetch(app) == 1
    gambar = stored(app, Monitoring)
    assert gambar.startswith("uploads/") and gambar.endswith(".jpg") and "keran" not in gambar
    assert (Path(app.instance_path) / gambar).read_bytes() == JPEG
    assert queue_row(app)[0] == "selesai"


def test_a_tbo_progress_photo_goes_with_the_tb_kerja_row(app, client, files):
    number = assigned_to_siswanto(app, client)
    send_wa(
        client, f"#report {number} pipa diganti", sender=SISWANTO, **photo(files, "/wa/pipa.pdf", body=PDF)
    )
    fetch(app)
    assert stored(app, Kerja).endswith(".pdf")


def test_a_tbo_progress_photo_is_forwarded_to_the_reporter_once_stored(app, client, files):
    number = assigned_to_siswanto(app, client)
    send_wa(client, f"#report {number} pipa diganti", sender=SISWANTO, **photo(files, "/wa/pipa.jpg"))
    fetch(app)
    with app.app_context():
        (row,) = db.session.query(Outbox).filter(Outbox.media_url != "").all()
        assert (row.tujuan, row.pesan) == (MARTA, f"Foto progres laporan *{number}* dari petugas Siswanto.")
        assert row.media_url == "berkas:" + stored(app, Kerja) and row.media_nama == "pipa.jpg"


def test_a_reporter_s_own_photo_is_not_sent_back(app, client, files):
    send_wa(client, "#request keran patah", **photo(files, "/wa/keran.jpg"))
    fetch(app)
    with app.app_context():
        assert db.session.query(Outbox).filter(Outbox.media_url != "").count() == 0


def test_a_photo_without_text_is_a_progress_report_too(app, client, files):
    number = assigned_to_siswanto(app, client)
    send_wa(client, f"#report {number}", sender=SISWANTO, **photo(files, "/wa/a.jpg"))
    with app.app_context():
        assert db.session.query(Kerja).one().keterangan.startswith("Report")


def test_a_file_over_10_mb_is_refused_and_the_report_kept(app, client, files):
    send_wa(
        client, "#request keran patah", **photo(files, "/wa/besar.jpg", body=JPEG + b"0" * (10 * 1024 * 1024))
    )
    fetch(app)
    assert queue_row(app) == ("gagal", 1, "Berkas lebih dari 10 MB")
    with app.app_context():
        report = db.session.query(Monitoring).one()
        assert (report.pesan, report.gambar) == ("keran patah", "")
    assert not (Path(app.instance_path) / "uploads").exists()
    assert told(app, MARTA) == [
        f"Mohon maaf, foto/berkas untuk laporan *{report.id_track}* tidak dapat kami terima "
        "(berkas lebih dari 10 MB). Laporan Anda tetap tercatat tanpa foto."
    ]


def test_something_that_is_not_an_image_or_pdf_is_refused(app, client, files):
    send_wa(client, "#request keran patah", **photo(files, "/wa/x.jpg", body=b"MZ\x90\x00 executable"))
    fetch(app)
    status, _, error = queue_row(app)
    assert status == "gagal" and "bukan gambar" in error


def test_a_server_that_is_down_is_retried_until_it_answers(app, client, files):
    send_wa(client, "#request keran patah", **photo(files, "/wa/nanti.jpg", status=503))
    fetch(app)
    status, attempts, error = queue_row(app)
    assert (status, attempts) == ("antri", 1) and "HTTP 503" in error
    assert fetch(app) == 0  # not due yet
    files.files["/wa/nanti.jpg"] = (200, JPEG)
    with app.app_context():
        clock.freeze(clock.local_now() + timedelta(minutes=1))
    try:
        assert fetch(app) == 1
    finally:
        clock.freeze(None)
    assert stored(app, Monitoring).endswith(".jpg")


def test_an_unreachable_server_is_retried(app, client):
    send_wa(client, "#request keran patah", url="http://127.0.0.1:9/x.jpg", filename="x.jpg")
    fetch(app)
    assert queue_row(app)[:2] == ("antri", 1)


def test_the_link_fonnte_no_longer_has_fails_for_good(app, client, files):
    send_wa(client, "#request keran patah", url=files.url("/wa/hilang.jpg"), filename="hilang.jpg")
    fetch(app)
    assert queue_row(app)[0] == "gagal"
    with app.app_context():
        assert db.session.query(Monitoring).one().pesan == "keran patah"
    (notice,) = told(app, MARTA)
    assert "(berkas tidak tersedia)" in notice and "HTTP" not in notice


def test_a_tbo_whose_photo_failed_is_told_how_to_send_it_again(app, client, files):
    number = assigned_to_siswanto(app, client)
    send_wa(client, f"#report {number} pipa diganti", sender=SISWANTO, **photo(files, "/wa/x.jpg", body=b"?"))
    fetch(app)
    (notice,) = told(app, SISWANTO)
    assert "bukan gambar" in notice and f"#report {number} <keterangan>" in notice
    assert told(app, MARTA) == []


def test_a_retry_tells_nobody(app, client, files):
    send_wa(client, "#request keran patah", **photo(files, "/wa/nanti.jpg", status=503))
    fetch(app)
    assert told(app, MARTA) == []


def test_a_message_without_a_photo_queues_nothing(app, client):
    send_wa(client, "#request keran patah")
    with app.app_context():
        assert db.session.query(Media).count() == 0


@pytest.mark.parametrize(
    "error, reason",
    [
        ("Berkas lebih dari 10 MB", "berkas lebih dari 10 MB"),
        ("Berkas bukan gambar (JPEG/PNG/WebP/GIF) atau PDF", "berkas bukan gambar atau PDF"),
        ("Meta menolak (kode 100): Invalid parameter", "berkas tidak dapat diunduh dari WhatsApp"),
        ("Unduhan http://x/y gagal: koneksi ditolak", "berkas tidak dapat diunduh dari WhatsApp"),
    ],
)
def test_the_reason_a_sender_reads(error, reason):
    assert photos.reason_for_sender(error) == reason
