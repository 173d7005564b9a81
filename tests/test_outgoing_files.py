"""Our own files going out with a message (a TBO's progress photo to the reporter): the
provider gets the bytes, since Fonnte and Meta may not reach our server by URL."""

from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.extensions import db
from app.messaging import attachments, outbox
from app.messaging.http import TransportError
from app.models import Outbox, PesanMasuk
from tests.conftest import MARTA, drain, reset_database
from tests.peers.files import JPEG, PDF
from tests.peers.graph import FakeGraph

PHOTO = "uploads/2024/09/0f1e2d3c.jpg"


def put(app, relative, content):
    path = Path(app.instance_path) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def send_file(app, relative, pesan="Foto progres laporan *BRT2409001* dari petugas Siswanto."):
    with app.app_context():
        outbox.enqueue(
            MARTA, pesan, media_url=attachments.reference(relative), media_nama=Path(relative).name
        )
        db.session.commit()
    drain(app)
    with app.app_context():
        row = db.session.query(Outbox).one()
        return row.status, row.galat


@pytest.mark.parametrize(
    "reference, why",
    [
        ("berkas:uploads/2024/09/tidak-ada.jpg", "Lampiran tidak ditemukan"),
        ("berkas:../sarpras.db", "Lampiran tidak sah"),
        ("berkas:secret_key", "Lampiran tidak sah"),
        ("berkas:/etc/passwd", "Lampiran tidak sah"),
        ("berkas:uploads/../../x.jpg", "Lampiran tidak sah"),
        ("berkas:uploads/2024/09/skrip.jpg", "Lampiran bukan gambar atau PDF"),
    ],
)
def test_only_images_and_pdfs_under_uploads_can_go_out(app, reference, why):
    put(app, "uploads/2024/09/skrip.jpg", b"#!/bin/sh\necho")
    with pytest.raises(TransportError) as raised:
        attachments.read(reference, app.config)
    assert raised.value.permanent and str(raised.value).startswith(why)


def test_a_file_is_read_with_the_type_its_bytes_show(app):
    put(app, "uploads/2024/09/laporan.jpg", PDF)
    found = attachments.read("berkas:uploads/2024/09/laporan.jpg", app.config)
    assert (found.filename, found.content, found.mime_type) == ("laporan.jpg", PDF, "application/pdf")


def test_fonnte_gets_the_file_itself(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    put(app, PHOTO, JPEG)
    assert send_file(app, PHOTO) == ("terkirim", "")
    (sent,) = fonnte.received
    assert sent["file"] == ("0f1e2d3c.jpg", JPEG, "image/jpeg")
    assert sent["target"] == MARTA and sent["message"].startswith("Foto progres laporan *BRT2409001*")
    assert "url" not in sent


@pytest.fixture
def graph():
    peer = FakeGraph().start()
    yield peer
    peer.stop()


def test_meta_gets_the_file_uploaded_then_sent_by_its_id(app_factory, graph):
    app = app_factory(
        WA_PROVIDER="cloud",
        WHATSAPP_API_URL=graph.api_url,
        WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_ACCESS_TOKEN=graph.token,
    )
    reset_database(app)
    with app.app_context():  # Marta wrote a minute ago: inside the 24-hour window
        now = clock.local_now() - timedelta(minutes=1)
        db.session.add(PesanMasuk(tanggal=now.date(), jam=now.time().replace(microsecond=0), telepon=MARTA))
        db.session.commit()
    graph.customer_wrote(MARTA)
    put(app, PHOTO, JPEG)
    assert send_file(app, PHOTO) == ("terkirim", "")
    ((media_id, content, mime_type),) = graph.uploads
    assert (content, mime_type) == (JPEG, "image/jpeg")
    (sent,) = graph.received
    assert sent["type"] == "image" and sent["image"]["id"] == media_id
    assert sent["image"]["caption"].startswith("Foto progres laporan *BRT2409001*")


def test_a_file_that_is_gone_fails_for_good_with_the_reason(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    status, galat = send_file(app, "uploads/2024/09/hilang.jpg")
    assert status == "gagal" and galat.startswith("Lampiran tidak ditemukan")
    assert fonnte.received == []
