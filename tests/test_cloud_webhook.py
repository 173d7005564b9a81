"""Meta's WhatsApp Cloud API webhook: the handshake, signatures, messages and statuses."""

import json

import pytest

from app.extensions import db
from app.models import Media, Monitoring, Outbox, PesanMasuk
from app.models.outbox import ANTRI, TERKIRIM
from tests import meta
from tests.conftest import OFFICE, reset_database, sent_message

MARTA = "6282111476069"
GUEST = "6281399990000"


@pytest.fixture
def app(app_factory):
    app = app_factory(WHATSAPP_APP_SECRET=meta.APP_SECRET, WHATSAPP_VERIFY_TOKEN=meta.VERIFY_TOKEN)
    reset_database(app)
    return app


def rows(app, model, *where):
    with app.app_context():
        return db.session.query(model).filter(*where).all()


# --- the verification handshake ---------------------------------------------------------


def test_the_handshake_answers_the_raw_challenge(client):
    response = client.get(
        "/webhook/whatsapp",
        query_string={
            "hub.mode": "subscribe",
            "hub.verify_token": meta.VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": meta.VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_a_wrong_handshake_is_refused(client, query):
    response = client.get("/webhook/whatsapp", query_string=query)
    assert response.status_code == 403
    assert response.get_data(as_text=True) != "1"


def test_no_verify_token_configured_refuses_every_handshake(app_factory):
    app = app_factory(WHATSAPP_VERIFY_TOKEN=None)
    response = app.test_client().get(
        "/webhook/whatsapp",
        query_string={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
    )
    assert response.status_code == 403


# --- signatures -------------------------------------------------------------------------


def test_a_signed_text_message_makes_a_report_and_a_queued_reply(app, client):
    payload = meta.envelope(
        [meta.text(MARTA, "#request lampu aula mati")], contacts=[meta.contact(MARTA, "Marta")]
    )
    response = meta.post(client, payload)
    assert response.status_code == 200, response.get_json()
    (report,) = rows(app, Monitoring)
    assert report.pesan == "lampu aula mati" and report.nama_pelapor == "R Marta Dinata"
    (reply,) = rows(app, Outbox, Outbox.tujuan == MARTA)
    assert report.id_track in reply.pesan
    (stored,) = rows(app, PesanMasuk)
    assert stored.id_pesan.startswith("cloud:wamid.")


@pytest.mark.parametrize(
    "header, code",
    [
        (False, 401),
        ("sha256=" + "0" * 64, 403),
        ("sha1=abc", 403),
        ("garbage", 403),
    ],
)
def test_a_missing_or_forged_signature_is_refused_and_changes_nothing(app, client, header, code):
    payload = meta.envelope([meta.text(MARTA, "#request palsu")])
    assert meta.post(client, payload, header=header).status_code == code
    assert rows(app, PesanMasuk) == [] and rows(app, Outbox) == []


def test_a_body_signed_with_another_secret_is_refused(app, client):
    assert meta.post(client, meta.envelope([meta.text(MARTA, "#help")]), secret="lain").status_code == 403
    assert rows(app, PesanMasuk) == []


def test_a_body_changed_after_signing_is_refused(app, client):
    body = json.dumps(meta.envelope([meta.text(MARTA, "#help")])).encode()
    tampered = body.replace(b"#help", b"#cek")
    assert meta.post(client, tampered, header=meta.signature(body)).status_code == 403


def test_without_an_app_secret_nothing_is_accepted(app_factory):
    app = app_factory(WHATSAPP_APP_SECRET=None)
    reset_database(app)
    response = meta.post(app.test_client(), meta.envelope([meta.text(MARTA, "#help")]))
    assert response.status_code == 403
    assert "WHATSAPP_APP_SECRET" in response.get_json()["reason"]


# --- messages ---------------------------------------------------------------------------


def test_a_repeated_delivery_of_one_wamid_is_handled_once(app, client):
    message = meta.text(MARTA, "#request kran bocor")
    for _ in range(3):
        assert meta.post(client, meta.envelope([message])).status_code == 200
    assert len(rows(app, Monitoring)) == 1
    assert len(rows(app, Outbox)) == 1 + OFFICE


def test_a_guest_is_named_by_the_profile_in_contacts(app, client):
    payload = meta.envelope(
        [meta.text(GUEST, "#request AC ruang 2 rusak")], contacts=[meta.contact(GUEST, "Bu Tamu")]
    )
    meta.post(client, payload)
    (report,) = rows(app, Monitoring)
    assert report.nama_pelapor == "Bu Tamu" and report.profil_pelapor == "Tamu"


def test_several_messages_in_one_notification_are_each_handled(app, client):
    payload = meta.envelope(
        [meta.text(MARTA, "#request satu"), meta.text(GUEST, "#request dua"), meta.text(MARTA, "#help")],
        contacts=[meta.contact(MARTA, "Marta"), meta.contact(GUEST, "Tamu")],
    )
    assert meta.post(client, payload).get_json()["pesan"] == ["stored", "stored", "stored"]
    assert len(rows(app, Monitoring)) == 2 and len(rows(app, Outbox)) == 3 + 2 * OFFICE


def test_an_image_with_a_caption_reports_and_queues_the_photo_by_media_id(app, client):
    meta.post(client, meta.envelope([meta.image(MARTA, "1034561234", caption="#request plafon bocor")]))
    (report,) = rows(app, Monitoring)
    assert report.pesan == "plafon bocor"
    (media,) = rows(app, Media)
    assert media.url == "whatsapp-media:1034561234" and media.tabel == "tb_monitoring"


def test_an_image_without_a_caption_is_stored_as_one(app, client):
    meta.post(client, meta.envelope(messages=[meta.image(MARTA, "4490709327384033")]))
    (stored,) = rows(app, PesanMasuk)
    assert stored.pesan == "[foto/berkas tanpa keterangan]" and "Pola Permohonan" in stored.respon


def test_a_document_with_a_caption_keeps_its_file_name(app, client):
    meta.post(
        client,
        meta.envelope([meta.document(MARTA, "77001", "foto-kerusakan.pdf", caption="#request genset")]),
    )
    (media,) = rows(app, Media)
    assert media.nama_asli == "foto-kerusakan.pdf"


@pytest.mark.parametrize(
    "kind, body, label",
    [
        ("audio", {"mime_type": "audio/ogg; codecs=opus", "id": "55", "voice": True}, "pesan suara"),
        ("sticker", {"mime_type": "image/webp", "id": "56", "animated": False}, "stiker"),
        ("location", {"latitude": -6.2, "longitude": 106.8}, "lokasi"),
        ("video", {"mime_type": "video/mp4", "id": "57"}, "video"),
        ("unsupported", None, "pesan jenis ini"),
    ],
)
def test_kinds_we_cannot_read_are_answered_politely(app, client, kind, body, label):
    response = meta.post(client, meta.envelope([meta.of_type(MARTA, kind, body)]))
    assert response.status_code == 200
    (reply,) = rows(app, Outbox)
    assert reply.pesan.startswith(f"Mohon maaf, {label} belum dapat kami proses.")
    assert rows(app, Monitoring) == []


def test_a_reaction_and_a_system_message_are_stored_not_answered(app, client):
    reaction = meta.of_type(MARTA, "reaction", {"message_id": "wamid.X", "emoji": "👍"})
    meta.post(client, meta.envelope([reaction, meta.system(MARTA)]))
    stored = rows(app, PesanMasuk)
    assert sorted(s.keterangan for s in stored) == [
        "Pesan sistem WhatsApp (tidak dibalas)",
        "Reaksi 👍 (tidak dibalas)",
    ]
    assert rows(app, Outbox) == []


@pytest.mark.parametrize(
    "body, code",
    [
        (b"not json", 400),
        (b"[]", 400),
        (b'{"object": "whatsapp_business_account"}', 400),
    ],
)
def test_a_body_that_is_not_a_notification_gets_400(client, body, code):
    assert meta.post(client, body).status_code == code


def test_other_fields_and_empty_values_are_acknowledged_and_skipped(app, client):
    other = meta.envelope(field="message_template_status_update")
    assert meta.post(client, other).status_code == 200
    junk = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"messages": [{"x": 1}, "y"]}}]}],
    }
    assert meta.post(client, junk).status_code == 200
    assert rows(app, PesanMasuk) == []


def test_events_of_another_meta_product_are_acknowledged_and_skipped(app, client):
    page = meta.envelope(messages=[meta.text(MARTA, "#request lampu mati")])
    page["object"] = "page"
    assert meta.post(client, page).status_code == 200
    assert rows(app, PesanMasuk) == []


# --- one provider's door at a time --------------------------------------------------------


def test_with_the_cloud_api_fonnte_s_webhooks_are_closed(app_factory):
    """Else an unsigned Fonnte-shaped call could speak for anyone, past Meta's signature."""
    app = app_factory(
        WA_PROVIDER="cloud", WHATSAPP_APP_SECRET=meta.APP_SECRET, WHATSAPP_VERIFY_TOKEN=meta.VERIFY_TOKEN
    )
    reset_database(app)
    client = app.test_client()
    for url, body in (
        ("/webhook/fonnte", {"device": "6281100000000", "sender": MARTA, "message": "#request x"}),
        ("/webhook/fonnte/status", {"id": "1", "stateid": "x", "state": "read"}),
        ("/webhook/fonnte/device", {"device": "6281100000000", "status": "disconnect"}),
    ):
        response = client.post(url, json=body)
        assert response.status_code == 403 and "WA_PROVIDER=cloud" in response.get_json()["reason"]
    assert rows(app, PesanMasuk) == [] and rows(app, Outbox) == []
    assert meta.post(client, meta.envelope(messages=[meta.text(MARTA, "#help")])).status_code == 200
    assert len(rows(app, PesanMasuk)) == 1


def test_with_fonnte_the_cloud_api_webhook_is_closed(app_factory):
    app = app_factory(
        WA_PROVIDER="fonnte", WHATSAPP_APP_SECRET=meta.APP_SECRET, WHATSAPP_VERIFY_TOKEN=meta.VERIFY_TOKEN
    )
    reset_database(app)
    client = app.test_client()
    assert meta.post(client, meta.envelope(messages=[meta.text(MARTA, "#help")])).status_code == 403
    handshake = {"hub.mode": "subscribe", "hub.verify_token": meta.VERIFY_TOKEN, "hub.challenge": "1"}
    assert client.get("/webhook/whatsapp", query_string=handshake).status_code == 403
    assert rows(app, PesanMasuk) == []


# --- statuses ---------------------------------------------------------------------------


def sent_row(app, provider_id):
    return sent_message(app, "cloud", provider_id)


def outbox_row(app, ido):
    with app.app_context():
        return db.session.get(Outbox, ido)


def test_statuses_move_a_message_from_sent_to_read(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    for state, expected in (("sent", "terkirim"), ("delivered", "diterima"), ("read", "dibaca")):
        meta.post(client, meta.envelope(statuses=[meta.status(message_id, state, MARTA)]))
        assert outbox_row(app, ido).status_antar == expected
    assert outbox_row(app, ido).waktu_antar is not None


def test_a_late_status_never_hides_a_later_one(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    statuses = [meta.status(message_id, s, MARTA) for s in ("read", "delivered", "sent")]
    meta.post(client, meta.envelope(statuses=statuses))
    assert outbox_row(app, ido).status_antar == "dibaca"


def test_a_failed_status_keeps_meta_s_error_for_the_admin(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    failure = meta.error(131026, "Message undeliverable", "Receiver is incapable of receiving this message")
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "failed", MARTA, errors=[failure])]))
    row = outbox_row(app, ido)
    assert row.status_antar == "gagal"
    assert "131026" in row.galat and "Receiver is incapable" in row.galat


def test_a_failure_outside_the_window_is_sent_again_as_a_template(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    failure = meta.error(131047, "Re-engagement message", "more than 24 hours have passed")
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "failed", MARTA, errors=[failure])]))
    row = outbox_row(app, ido)
    assert row.status == ANTRI and "131047" in json.loads(row.opsi)["template"]
    assert "24 jam" in row.keterangan
    # Refused again as a template: no loop, the failure stays.
    with app.app_context():
        db.session.get(Outbox, ido).status = TERKIRIM
        db.session.commit()
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "failed", MARTA, errors=[failure])]))
    assert outbox_row(app, ido).status_antar == "gagal"


def test_a_failure_is_final_whatever_comes_after_it(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    failure = meta.error(131026, "Message undeliverable")
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "failed", MARTA, errors=[failure])]))
    meta.post(
        client, meta.envelope(statuses=[meta.status(message_id, "delivered", MARTA, timestamp="1732338999")])
    )
    assert outbox_row(app, ido).status_antar == "gagal"


def test_an_unbelievable_status_time_gives_way_to_the_time_it_arrived(app, client):
    message_id = meta.wamid()
    ido = sent_row(app, message_id)
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "read", MARTA, timestamp="1")]))
    row = outbox_row(app, ido)
    assert row.status_antar == "dibaca" and row.waktu_antar.year >= 2026


def test_a_status_for_a_message_we_do_not_know_is_acknowledged(client):
    response = meta.post(client, meta.envelope(statuses=[meta.status("wamid.unknown", "read", MARTA)]))
    assert response.status_code == 200 and response.get_json()["status_diperbarui"] == 0


def test_the_outbox_page_shows_delivery_states(app, client):
    from tests.conftest import login

    message_id = meta.wamid()
    sent_row(app, message_id)
    meta.post(client, meta.envelope(statuses=[meta.status(message_id, "read", MARTA)]))
    other = sent_row(app, meta.wamid())
    login(client)
    page = client.get("/outbox").get_data(as_text=True)
    assert "Dibaca" in page
    read_only = client.get("/outbox?antar=dibaca").get_data(as_text=True)
    assert "Balasan uji" in read_only and f"<td>{other}</td>" not in read_only


def test_messages_to_another_number_of_the_same_meta_app_are_not_ours(app_factory):
    app = app_factory(WHATSAPP_APP_SECRET=meta.APP_SECRET, WHATSAPP_PHONE_NUMBER_ID="999")
    reset_database(app)
    client = app.test_client()
    assert meta.post(client, meta.envelope([meta.text(MARTA, "#help")])).status_code == 200
    assert rows(app, PesanMasuk) == []
    ours = meta.envelope([meta.text(MARTA, "#help")])
    ours["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    meta.post(client, ours)
    assert len(rows(app, PesanMasuk)) == 1


def test_a_status_that_beats_the_worker_waits_for_the_message_id(app, client):
    from datetime import timedelta

    from app import clock
    from app.messaging import delivery, outbox
    from app.models import AntarTertunda

    with app.app_context():
        outbox.enqueue(MARTA, "Balasan uji")
        db.session.commit()
        (item,) = outbox.claim(1)
    # Meta says "delivered" while the worker is still sending the rest of its batch.
    early = meta.wamid()
    meta.post(client, meta.envelope(statuses=[meta.status(early, "delivered", MARTA)]))
    assert len(rows(app, AntarTertunda)) == 1
    with app.app_context():
        outbox.record([outbox.Result(item.ido, "cloud", early)], app.config)
    (row,) = rows(app, Outbox)
    assert (row.status, row.status_antar) == (TERKIRIM, "diterima")
    assert rows(app, AntarTertunda) == []

    # A report for an id that never turns up is dropped after a day.
    meta.post(client, meta.envelope(statuses=[meta.status("wamid.orang-lain", "read", MARTA)]))
    with app.app_context():
        assert delivery.purge_waiting(app.config) == 0
        db.session.query(AntarTertunda).update({AntarTertunda.diterima: clock.utcnow() - timedelta(days=2)})
        db.session.commit()
        assert delivery.purge_waiting(app.config) == 1
