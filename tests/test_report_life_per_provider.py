"""SPEC's whole report life, once per WhatsApp provider, over real loopback peers: Fonnte's
webhook and send API, or Meta's signed Cloud API webhook and its Graph API.

A reporter asks, an admin assigns a TBO, the TBO starts, reports progress with a photo and
finishes, the reporter confirms; every message goes out through the provider and its
delivery state comes back. On the Cloud API the messages to someone who has not written in
24 hours go as the approved template.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.extensions import db
from app.models import Admin, Kerja, Monitoring, Outbox
from app.reporting import lifecycle, photos, service
from tests import meta
from tests.conftest import MARTA, drain, reset_database, send_wa
from tests.peers.files import JPEG, FileServer
from tests.peers.graph import FakeGraph

WIB = ZoneInfo("Asia/Jakarta")
SISWANTO = "6282124603757"  # TBO ADM04
ID = "BRT2409001"


@pytest.fixture(autouse=True)
def morning():
    clock.freeze(datetime(2024, 9, 17, 7, 31, 23, tzinfo=WIB))
    yield
    clock.freeze(None)


class FonnteChannel:
    name = "fonnte"

    def __init__(self, app_factory, fonnte, files):
        self.peer, self.files = fonnte, files
        self.app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)

    def write(self, client, text, sender, photo=None):
        extra = {}
        if photo:
            self.files.files["/wa/" + photo] = (200, JPEG)
            extra = {"url": self.files.url("/wa/" + photo), "filename": photo, "extension": "jpg"}
        response = send_wa(client, text, sender=sender, **extra)
        assert response.status_code == 200, response.get_json()
        return response

    def sent(self):
        return [
            (m["target"], ("[image] " if "file" in m else "") + m["message"], m["id"])
            for m in self.peer.received
        ]

    def photos_sent(self):
        return [m["file"][1] for m in self.peer.received if "file" in m]

    def report_state(self, client, provider_id, state):
        body = {
            "device": "6281100000000",
            "id": provider_id,
            "stateid": "s",
            "status": "sent",
            "state": state,
        }
        assert client.post("/webhook/fonnte/status", json=body).status_code == 200


class CloudChannel:
    name = "cloud"

    def __init__(self, app_factory, graph):
        self.peer = graph
        self.app = app_factory(
            WA_PROVIDER="cloud",
            WHATSAPP_API_URL=graph.api_url,
            WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
            WHATSAPP_ACCESS_TOKEN=graph.token,
            WHATSAPP_APP_SECRET=meta.APP_SECRET,
        )

    def write(self, client, text, sender, photo=None):
        self.peer.customer_wrote(sender)
        if photo:
            media_id = str(abs(hash(photo)) % 10**12)
            self.peer.add_media(media_id, JPEG, "image/jpeg")
            message = meta.image(sender, media_id, caption=text)
        else:
            message = meta.text(sender, text)
        response = meta.post(
            client, meta.envelope([message], contacts=[meta.contact(sender, "WA " + sender)])
        )
        assert response.status_code == 200, response.get_json()
        return response

    def sent(self):
        result = []
        for m in self.peer.received:
            if m["type"] == "template":
                text = "[template] " + m["template"]["components"][0]["parameters"][0]["text"]
            elif m["type"] in ("image", "document"):
                text = f"[{m['type']}] " + m[m["type"]].get("caption", "")
            else:
                text = m["text"]["body"]
            result.append((m["to"], text, m["id"]))
        return result

    def photos_sent(self):
        uploaded = {media_id: content for media_id, content, _ in self.peer.uploads}
        return [uploaded[m["image"]["id"]] for m in self.peer.received if m["type"] == "image"]

    def report_state(self, client, provider_id, state):
        status = meta.status(provider_id, state, MARTA)
        assert meta.post(client, meta.envelope(statuses=[status])).status_code == 200


@pytest.fixture
def files():
    peer = FileServer().start()
    yield peer
    peer.stop()


@pytest.fixture
def graph():
    peer = FakeGraph().start()
    yield peer
    peer.stop()


@pytest.fixture(params=["fonnte", "cloud"])
def channel(request, app_factory, fonnte, graph, files):
    made = (
        FonnteChannel(app_factory, fonnte, files)
        if request.param == "fonnte"
        else CloudChannel(app_factory, graph)
    )
    reset_database(made.app)
    return made


def at(hour, minute, day=17):
    clock.freeze(datetime(2024, 9, day, hour, minute, tzinfo=WIB))


def assign(app):
    with app.app_context():
        lifecycle.assign_team(service.find_report(ID), [db.session.get(Admin, "ADM04")], "segera", "ADM03")
        db.session.commit()


def test_the_whole_life_of_a_report(channel):
    app, client = channel.app, channel.app.test_client()
    # The worker sends each step's messages at once, as it would in production.
    channel.write(client, "#request rumput sudah tinggi di aula", MARTA)
    drain(app)
    at(7, 36)
    assign(app)
    drain(app)
    at(7, 40)
    channel.write(client, f"#start {ID}", SISWANTO)
    drain(app)
    at(7, 48)
    channel.write(client, f"#report {ID} sebagian alat dibelanjakan", SISWANTO, photo="progres.jpg")
    drain(app)
    # The worker fetches the photo within seconds and sends it on to Marta.
    with app.app_context():
        assert photos.fetch_due(app.config) == 1
    drain(app)
    at(9, 0)
    channel.write(client, f"#finish {ID} sudah dirapikan", SISWANTO)
    drain(app)
    at(10, 0)
    channel.write(client, f"#selesai {ID} 5 rapi", MARTA)
    drain(app)

    sent = channel.sent()
    to_marta = [text for to, text, _ in sent if to == MARTA]
    to_siswanto = [text for to, text, _ in sent if to == SISWANTO]
    assert len(to_marta) == 7 and len(to_siswanto) == 5
    assert "Dengan Nomor Tracking Anda: *BRT2409001*" in to_marta[0]
    assert to_marta[1].endswith("Sudah ditentukan PJ/petugas Siswanto untuk menindaklanjuti laporan Anda")
    assert to_marta[3].endswith("sebagian alat dibelanjakan")
    assert to_marta[4] == f"[image] Foto progres laporan *{ID}* dari petugas Siswanto."
    assert channel.photos_sent() == [JPEG]
    assert "dinyatakan selesai... Terimakasih atas konfirmasi Anda" in to_marta[6]
    assert "Anda ditugaskan sebagai PJ laporan *BRT2409001*" in to_siswanto[0]
    assert to_siswanto[-1].startswith("Yth Siswanto, laporan *BRT2409001* telah dikonfirmasi selesai")

    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=ID).one()
        assert (report.status, report.nilai) == ("Dikonfirmasi", 5)
        photo = db.session.query(Kerja).filter(Kerja.keterangan == f"Report {ID}").one().gambar
        assert (Path(app.instance_path) / photo).read_bytes() == JPEG
        rows = db.session.query(Outbox).filter_by(kanal="whatsapp").order_by(Outbox.ido).all()
        assert {r.status for r in rows} == {"terkirim"} and {r.provider for r in rows} == {channel.name}
        notes = {r.tujuan: r.keterangan for r in rows if r.keterangan}

    if channel.name == "cloud":
        # Siswanto had never written when he was assigned: that one went as the template,
        # with the reason in the outbox; everything after his #start went free-form.
        assert to_siswanto[0].startswith("[template] *Penugasan BRT ISTN* | Yth Siswanto")
        assert not any(text.startswith("[template]") for text in to_marta + to_siswanto[1:])
        assert "belum pernah menulis" in notes[SISWANTO]
        assert MARTA not in notes
    else:
        assert notes == {}

    # The provider reports Marta's first reply delivered, then read.
    first_id = next(provider_id for to, _, provider_id in sent if to == MARTA)
    channel.report_state(client, first_id, "delivered")
    channel.report_state(client, first_id, "read")
    with app.app_context():
        row = db.session.query(Outbox).filter_by(id_provider=first_id).one()
        assert row.status_antar == "dibaca"


def test_messages_after_the_window_go_as_the_template_on_the_cloud_api(app_factory, graph):
    channel = CloudChannel(app_factory, graph)
    app, client = channel.app, channel.app.test_client()
    reset_database(app)
    channel.write(client, "#request rumput sudah tinggi di aula", MARTA)
    assign(app)
    channel.write(client, f"#finish {ID} sudah dirapikan", SISWANTO)
    drain(app)
    # Three days and more later Marta has not confirmed: the report is closed and she is
    # told, outside her 24-hour window.
    at(8, 0, day=20)
    with app.app_context():
        assert lifecycle.auto_close_due() == 1
        db.session.commit()
    drain(app)
    last = graph.received[-1]
    assert last["to"] == MARTA and last["type"] == "template"
    assert last["template"]["name"] == "sarpras_pemberitahuan"
    parameter = last["template"]["components"][0]["parameters"][0]["text"]
    assert "tidak ada konfirmasi dalam 3 hari" in parameter and "\n" not in parameter
    with app.app_context():
        row = db.session.query(Outbox).order_by(Outbox.ido.desc()).first()
        assert "Di luar jendela 24 jam (pesan terakhir dari nomor ini 17-09-2024 07:31)" in row.keterangan
        assert json.loads(row.opsi or "null") is None
