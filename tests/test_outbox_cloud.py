"""Messages leave through the outgoing queue and reach a loopback Graph API (Meta's WhatsApp
Cloud API) over real HTTP: free-form inside the 24-hour window, a template outside it."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.extensions import db
from app.messaging import http, outbox
from app.messaging.http import TransportError
from app.messaging.providers.cloud import MAX_TEXT, fetch_media, one_line, split_text
from app.models import Outbox, OutboxBagian, PesanMasuk
from app.models.outbox import ANTRI, GAGAL, TERKIRIM
from tests import meta
from tests.conftest import MARTA, SHE, drain, reset_database
from tests.peers.files import JPEG, PDF, FileServer
from tests.peers.graph import FakeGraph

WIB = ZoneInfo("Asia/Jakarta")
MB = 1024 * 1024


@pytest.fixture
def graph():
    peer = FakeGraph().start()
    yield peer
    peer.stop()


def cloud_app(app_factory, graph, **overrides):
    settings = dict(
        WA_PROVIDER="cloud",
        WHATSAPP_API_URL=graph.api_url,
        WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_ACCESS_TOKEN=graph.token,
        # Long enough that "queued for later" cannot be mistaken for "due now".
        OUTBOX_RETRY_BASE_SECONDS=60,
        OUTBOX_RETRY_MAX_SECONDS=600,
    )
    app = app_factory(**{**settings, **overrides})
    reset_database(app)
    return app


@pytest.fixture
def app(app_factory, graph):
    return cloud_app(app_factory, graph)


@pytest.fixture
def frozen():
    yield clock.freeze
    clock.freeze(None)


def wrote(app, graph, number, ago, meta_saw_it=True):
    """`number` wrote to us `ago` before now: a tb_in row, and (usually) Meta saw it too."""
    with app.app_context():
        stored_in_tb_in(clock.local_now() - ago, number)
    if meta_saw_it:
        graph.customer_wrote(number, at=time.time() - ago.total_seconds())


def stored_in_tb_in(local_time, number):
    db.session.add(
        PesanMasuk(tanggal=local_time.date(), jam=local_time.time().replace(microsecond=0), telepon=number)
    )
    db.session.commit()


def send(app, pesan, to=MARTA, **kwargs):
    with app.app_context():
        outbox.enqueue(to, pesan, **kwargs)
        db.session.commit()
    drain(app)


def the_row(app):
    with app.app_context():
        row = db.session.query(Outbox).one()
        db.session.expunge(row)
        return row


def payload(sent):
    """What we posted, without what the peer added."""
    return {k: v for k, v in sent.items() if k not in ("authorization", "at", "id")}


def seconds_until_due(row):
    return (row.kirim_setelah - clock.utcnow()).total_seconds()


# -- inside the window: free-form ------------------------------------------------------


def test_it_sends_a_text_with_the_bearer_token_as_meta_expects(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=1))
    send(app, "Laporan *BRT2411001* sedang diproses.")
    (sent,) = graph.received
    assert sent["authorization"] == "Bearer graph-token"
    assert payload(sent) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": MARTA,
        "type": "text",
        "text": {"preview_url": False, "body": "Laporan *BRT2411001* sedang diproses."},
    }
    row = the_row(app)
    assert (row.status, row.provider, row.id_provider, row.keterangan, row.galat) == (
        TERKIRIM,
        "cloud",
        sent["id"],
        "",
        "",
    )
    assert sent["id"].startswith("wamid.")


def test_it_still_sends_free_form_just_inside_the_window(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=23, minutes=58))
    send(app, "halo")
    assert [m["type"] for m in graph.received] == ["text"]


def test_it_splits_a_long_text_into_ordered_parts_at_line_breaks(app, graph):
    wrote(app, graph, MARTA, timedelta(minutes=5))
    lines = [f"{n:04d}. Lampu di ruang {n} mati sejak pagi, mohon dicek." for n in range(180)]
    text = "\n".join(lines)
    assert 9000 <= len(text) < 3 * MAX_TEXT
    send(app, text)
    bodies = [m["text"]["body"] for m in graph.received]
    assert len(bodies) == 3
    assert all(len(body) <= MAX_TEXT for body in bodies)
    assert "\n".join(bodies) == text
    assert [m["at"] for m in graph.received] == sorted(m["at"] for m in graph.received)
    row = the_row(app)
    assert (row.status, row.id_provider, row.keterangan) == (
        TERKIRIM,
        graph.received[-1]["id"],
        "Dikirim dalam 3 bagian",
    )


def test_it_sends_an_image_with_the_text_as_its_caption(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=2))
    send(app, "Foto bukti perbaikan", media_url="https://sarpras.test/u/x.jpg", media_nama="x.jpg")
    (sent,) = graph.received
    assert (sent["type"], sent["image"]) == (
        "image",
        {"link": "https://sarpras.test/u/x.jpg", "caption": "Foto bukti perbaikan"},
    )


def test_a_text_too_long_for_a_caption_follows_the_image(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=2))
    text = "catatan " * 200
    send(app, text, media_url="https://sarpras.test/u/x.jpg", media_nama="x.jpg")
    image, after = graph.received
    assert image["image"] == {"link": "https://sarpras.test/u/x.jpg"}
    assert after["text"]["body"] == text
    assert "dikirim terpisah setelah lampiran" in the_row(app).keterangan


def test_a_pdf_goes_as_a_document_with_its_file_name(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=2))
    send(app, "Berita acara", media_url="https://sarpras.test/u/ba.pdf", media_nama="berita-acara.pdf")
    (sent,) = graph.received
    assert sent["document"] == {
        "link": "https://sarpras.test/u/ba.pdf",
        "filename": "berita-acara.pdf",
        "caption": "Berita acara",
    }


# -- outside the window: the template --------------------------------------------------


def template_sent(text):
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": MARTA,
        "type": "template",
        "template": {
            "name": "sarpras_pemberitahuan",
            "language": {"code": "id"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
        },
    }


def test_outside_the_window_it_sends_the_template_and_says_why(app, graph, frozen):
    frozen(datetime(2026, 11, 22, 9, 30, tzinfo=WIB))
    with app.app_context():
        stored_in_tb_in(datetime(2026, 11, 21, 8, 0), MARTA)
    send(app, "Yth Marta,\n\nLaporan\tBRT2611001   sudah  selesai.\nTerima kasih")
    (sent,) = graph.received
    assert payload(sent) == template_sent("Yth Marta, | Laporan BRT2611001 sudah selesai. | Terima kasih")
    assert graph.refused == []
    row = the_row(app)
    assert (row.status, row.id_provider) == (TERKIRIM, sent["id"])
    assert row.keterangan == (
        "Di luar jendela 24 jam (pesan terakhir dari nomor ini 21-11-2026 08:00)"
        " — dikirim dengan template sarpras_pemberitahuan (id)"
    )


def test_a_number_that_never_wrote_gets_the_template(app, graph):
    send(app, "Anda ditugaskan untuk BRT2411001")
    (sent,) = graph.received
    assert payload(sent) == template_sent("Anda ditugaskan untuk BRT2411001")
    assert the_row(app).keterangan == (
        "Di luar jendela 24 jam (nomor ini belum pernah menulis) — dikirim dengan template sarpras_pemberitahuan (id)"
    )


def test_a_long_text_is_cut_to_fit_one_template_parameter(app, graph):
    send(
        app,
        "Penugasan BRT2409001: " + "kata " * 400 + "Balas #start BRT2409001",
        media_url="https://sarpras.test/u/x.jpg",
    )
    (sent,) = graph.received
    text = sent["template"]["components"][0]["parameters"][0]["text"]
    # The middle goes: who it is for and what to do next stay.
    assert len(text) == 1000 and "…" in text
    assert text.startswith("Penugasan BRT2409001: kata") and text.endswith("Balas #start BRT2409001")
    keterangan = the_row(app).keterangan
    assert "isi dipotong menjadi 1000 karakter" in keterangan
    assert "lampiran tidak ikut terkirim" in keterangan


def test_a_message_can_ask_for_the_template(app, graph):
    wrote(app, graph, MARTA, timedelta(minutes=1))
    send(app, "Pengingat konfirmasi", opsi={"template": True})
    assert graph.received[0]["type"] == "template"
    assert the_row(app).keterangan.startswith("Template diminta — dikirim dengan template")


def test_a_template_asked_for_a_reason_says_it(app, graph):
    """delivery.py asks for the template after Meta's late 131047 and says so in opsi."""
    send(app, "Laporan sudah selesai", opsi={"template": "Ditolak Meta (kode 131047)"})
    assert the_row(app).keterangan.startswith("Ditolak Meta (kode 131047) — dikirim dengan template")


def test_a_free_form_message_refused_for_the_window_goes_as_the_template_at_once(app, graph):
    # Our tb_in says the number wrote an hour ago; Meta does not agree.
    wrote(app, graph, MARTA, timedelta(hours=1), meta_saw_it=False)
    send(app, "Laporan sudah selesai")
    assert [(body["type"], code) for body, code in graph.refused] == [("text", 131047)]
    (sent,) = graph.received
    assert payload(sent) == template_sent("Laporan sudah selesai")
    row = the_row(app)
    assert (row.status, row.percobaan) == (TERKIRIM, 1)
    assert row.keterangan.startswith("Meta menolak pesan bebas (kode 131047")


def test_messages_to_different_numbers_follow_each_ones_window(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=3))
    with app.app_context():
        outbox.enqueue(MARTA, "halo Marta")
        outbox.enqueue(SHE, "halo She")
        db.session.commit()
    drain(app)
    assert sorted((m["to"], m["type"]) for m in graph.received) == [(MARTA, "text"), (SHE, "template")]


# -- what Meta refuses -----------------------------------------------------------------


def test_a_server_error_is_retried_later(app, graph):
    graph.fail_next(500, 1, "An unknown error occurred")
    send(app, "halo")
    row = the_row(app)
    assert (row.status, row.galat) == (ANTRI, "Meta menolak (kode 1): An unknown error occurred")
    assert seconds_until_due(row) > 30


def test_http_429_is_retried_when_meta_says(app, graph):
    graph.fail_next(429, 4, "(#4) Application request limit reached", retry_after=30)
    send(app, "halo")
    row = the_row(app)
    assert row.status == ANTRI
    assert 28 <= seconds_until_due(row) <= 31
    assert "kode 4" in row.galat


@pytest.mark.parametrize("code", [80007, 130429, 131056, 131000, 131016])
def test_rate_limits_and_metas_own_trouble_are_retried(app, graph, code):
    graph.fail_next(400, code, f"(#{code}) Rate limit hit")
    send(app, "halo")
    row = the_row(app)
    assert (row.status, row.galat) == (ANTRI, f"Meta menolak (kode {code}): (#{code}) Rate limit hit")
    assert seconds_until_due(row) > 30


def test_a_wrong_token_fails_for_good_and_says_which_setting(app_factory, graph):
    app = cloud_app(app_factory, graph, WHATSAPP_ACCESS_TOKEN="salah")
    send(app, "halo")
    row = the_row(app)
    assert (row.status, row.galat) == (
        GAGAL,
        "Meta menolak (kode 190): Invalid OAuth access token. (periksa WHATSAPP_ACCESS_TOKEN)",
    )
    assert graph.received == []


def test_an_undeliverable_message_fails_for_good(app, graph):
    graph.fail_next(400, 131026, "Message undeliverable", details="Recipient is not a WhatsApp user")
    send(app, "halo")
    row = the_row(app)
    assert (row.status, row.galat) == (
        GAGAL,
        "Meta menolak (kode 131026): Message undeliverable — Recipient is not a WhatsApp user",
    )


def test_a_template_meta_does_not_know_fails_for_good(app, graph):
    graph.templates = {}
    send(app, "halo")
    row = the_row(app)
    assert row.status == GAGAL
    assert row.galat.startswith("Meta menolak (kode 132001): (#132001) Template name does not exist")
    assert row.galat.endswith("(periksa WHATSAPP_TEMPLATE_NAME dan WHATSAPP_TEMPLATE_LANGUAGE)")


def test_a_part_that_fails_says_the_earlier_ones_went_out(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=1))
    graph.fail_next(503, 131000, "Something went wrong", after=1)
    send(app, "baris panjang\n" * 400)
    row = the_row(app)
    assert row.status == ANTRI
    assert row.galat.endswith("(bagian 2 dari 2; yang sebelumnya sudah terkirim)")
    assert len(graph.received) == 1
    # The retry, when due, sends only what is missing.
    with app.app_context():
        db.session.query(Outbox).update({Outbox.kirim_setelah: clock.utcnow()})
        db.session.commit()
    drain(app)
    assert the_row(app).status == TERKIRIM
    assert len(graph.received) == 2
    assert graph.received[1]["text"]["body"].startswith("baris panjang")


def parts_of(app):
    with app.app_context():
        rows = db.session.query(OutboxBagian).order_by(OutboxBagian.bagian)
        return [(p.bagian, p.id_provider) for p in rows]


def report_states(app, *states):
    """Meta's statuses through the webhook, as (wamid, state[, error])."""
    client = app.test_client()
    for wamid, state, *error in states:
        status = meta.status(wamid, state, MARTA, timestamp=str(int(time.time())), errors=error or None)
        assert meta.post(client, meta.envelope(statuses=[status])).status_code == 200


def test_every_part_of_a_split_message_reports_its_delivery(app_factory, graph):
    app = cloud_app(app_factory, graph, WHATSAPP_APP_SECRET=meta.APP_SECRET)
    wrote(app, graph, MARTA, timedelta(minutes=5))
    send(app, "baris panjang\n" * 400)
    first, last = (m["id"] for m in graph.received)
    assert parts_of(app) == [(1, first), (2, last)]
    report_states(app, (first, "delivered"))
    assert the_row(app).status_antar == ""  # the last part has not said anything yet
    report_states(app, (last, "read"))
    assert the_row(app).status_antar == "diterima"  # read only once every part was
    report_states(app, (first, "read"))
    assert the_row(app).status_antar == "dibaca"


def test_a_part_that_failed_shows_though_the_last_one_arrived(app_factory, graph):
    app = cloud_app(app_factory, graph, WHATSAPP_APP_SECRET=meta.APP_SECRET)
    wrote(app, graph, MARTA, timedelta(minutes=5))
    send(app, "baris panjang\n" * 400)
    first, last = (m["id"] for m in graph.received)
    report_states(app, (last, "delivered"), (first, "failed", meta.error(131026, "Message undeliverable")))
    row = the_row(app)
    assert row.status_antar == "gagal"
    assert row.galat == "Bagian 1 dari 2: Meta: gagal diantar (kode 131026): Message undeliverable"


def test_a_resumed_split_message_keeps_the_ids_of_the_parts_sent_before(app, graph):
    wrote(app, graph, MARTA, timedelta(hours=1))
    graph.fail_next(503, 131000, "Something went wrong", after=1)
    send(app, "baris panjang\n" * 400)
    with app.app_context():
        db.session.query(Outbox).update({Outbox.kirim_setelah: clock.utcnow()})
        db.session.commit()
    drain(app)
    assert parts_of(app) == [(1, graph.received[0]["id"]), (2, graph.received[1]["id"])]


@pytest.mark.parametrize("setting", ["WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"])
def test_a_missing_setting_keeps_the_message_queued(app_factory, graph, setting):
    app = cloud_app(app_factory, graph, **{setting: None})
    send(app, "halo")
    row = the_row(app)
    assert (row.status, row.galat) == (ANTRI, f"{setting} belum diisi")


def test_an_answer_that_is_not_json_is_retried(app_factory, graph):
    # Some other web server where Meta should be (a captive portal, a proxy): it answers
    # a POST with an HTML page.
    files = FileServer().start()
    try:
        app = cloud_app(app_factory, graph, WHATSAPP_API_URL=files.url("/v21.0"))
        send(app, "halo")
    finally:
        files.stop()
    row = the_row(app)
    assert (row.status, row.galat) == (ANTRI, "Jawaban Meta bukan JSON (HTTP 501)")


def test_meta_out_of_reach_is_retried(app_factory, graph):
    app = cloud_app(app_factory, graph, WHATSAPP_API_URL="http://127.0.0.1:9/v21.0")
    send(app, "halo")
    row = the_row(app)
    assert row.status == ANTRI
    assert row.galat.startswith("Tidak dapat terhubung")


# -- media someone sent us -------------------------------------------------------------


def test_fetch_media_downloads_with_the_token(app, graph):
    graph.add_media("1013859600285441", JPEG, "image/jpeg")
    media = fetch_media("1013859600285441", app.config, max_bytes=MB)
    assert (media.content, media.mime_type) == (JPEG, "image/jpeg")
    assert (graph.downloads, graph.urls_issued) == (1, 1)


def test_fetch_media_asks_again_when_the_url_expired(app, graph):
    graph.add_media("m-pdf", PDF, "application/pdf")
    graph.expire_media_urls(upcoming=1)
    media = fetch_media("m-pdf", app.config, max_bytes=MB)
    assert media.content == PDF
    assert (graph.downloads, graph.urls_issued) == (1, 2)


def test_fetch_media_asks_again_only_once(app, graph):
    graph.add_media("m-1", JPEG, "image/jpeg")
    graph.expire_media_urls(upcoming=2)
    with pytest.raises(TransportError) as raised:
        fetch_media("m-1", app.config, max_bytes=MB)
    assert raised.value.permanent and str(raised.value) == "Berkas tidak tersedia (HTTP 404)"
    assert graph.urls_issued == 2


def test_fetch_media_of_an_unknown_id_fails_for_good(app, graph):
    with pytest.raises(TransportError) as raised:
        fetch_media("tidak-ada", app.config, max_bytes=MB)
    assert raised.value.permanent
    assert str(raised.value).startswith("Meta menolak (kode 100): Unsupported get request")
    assert graph.downloads == 0


def test_fetch_media_refuses_a_file_past_the_limit(app, graph):
    graph.add_media("besar", JPEG + b"\x00" * (2 * MB), "image/jpeg")
    with pytest.raises(TransportError) as raised:
        fetch_media("besar", app.config, max_bytes=MB)
    assert raised.value.permanent and str(raised.value) == "Berkas lebih dari 1 MB"
    assert graph.downloads == 0  # Meta's file_size said so: nothing was downloaded


# -- the peer plays Meta faithfully ----------------------------------------------------


def graph_get(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return http.get(url, headers=headers, timeout=3)


def test_the_peers_download_urls_need_the_token_and_expire(graph):
    graph.add_media("m-2", JPEG, "image/jpeg")
    url = graph_get(f"{graph.api_url}/m-2", graph.token).json()["url"]
    with pytest.raises(TransportError) as raised:
        http.download(url, timeout=3, max_bytes=MB)
    assert raised.value.status == 401
    graph.media_url_ttl = 0
    with pytest.raises(TransportError) as raised:
        http.download(url, headers={"Authorization": f"Bearer {graph.token}"}, timeout=3, max_bytes=MB)
    assert raised.value.status == 404


def test_the_peer_refuses_template_parameters_with_line_breaks(graph):
    body = template_sent("baris satu\nbaris dua")
    response = http.post(
        f"{graph.api_url}/{graph.phone_number_id}/messages",
        json=body,
        headers={"Authorization": f"Bearer {graph.token}"},
        timeout=3,
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, 132018)


# -- the pieces ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", []),
        ("pendek", ["pendek"]),
        ("tepat10chr", ["tepat10chr"]),
        ("aaaa bbbb cccc", ["aaaa bbbb", "cccc"]),
        ("aaaaaa\nbb cc dd", ["aaaaaa", "bb cc dd"]),
        # A line break early in a part would only make more, shorter parts.
        ("aaa\nbbbbb ccc", ["aaa\nbbbbb", "ccc"]),
        ("aaaaaaaa\n\n\nbbbb", ["aaaaaaaa", "bbbb"]),
        ("abcdefghijklmnopqrstuvwxyz", ["abcdefghij", "klmnopqrst", "uvwxyz"]),
        ("😀" * 12, ["😀" * 10, "😀" * 2]),
    ],
)
def test_split_text(text, parts):
    assert split_text(text, limit=10) == parts


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("satu baris", "satu baris"),
        ("Yth Marta,\n\nLaporan selesai.\r\nTerima kasih", "Yth Marta, | Laporan selesai. | Terima kasih"),
        ("kolom\tkolom", "kolom kolom"),
        ("banyak      spasi", "banyak spasi"),
        ("  \n  ", ""),
    ],
)
def test_one_line(text, line):
    assert one_line(text) == line
