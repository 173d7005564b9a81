"""Inputs that were never answered: texts longer than their column, bodies that cannot be
read. Each gets an answer (2xx or 4xx, never 5xx, so the provider stops retrying), every
stored text is whole or cut with "…", and nothing stored before is lost."""

import json

import pytest

from app.extensions import db
from app.models import Admin, Kerja, Monitoring, Outbox, Perangkat, PesanMasuk, Track
from app.models.outbox import TERKIRIM
from app.models.sizes import ELLIPSIS, cut, limit_of
from app.reporting import lifecycle, service
from tests import meta
from tests.conftest import DEVICE, MARTA, drain, fonnte_body, reset_database, send_wa

SISWANTO = "6282124603757"  # TBO ADM04
TEXT_BYTES = 65_535

# (name, text): both sides of MySQL's TEXT (65,535 bytes), in 1-, 2- and 4-byte characters.
SIZES = [
    ("ascii 64999", "a" * 64_999),
    ("ascii 65600", "b" * 65_600),
    ("ascii 80000", "c" * 80_000),
    ("2-byte 32000", "é" * 32_000),
    ("2-byte 33000", "é" * 33_000),
    ("emoji 16000", "😀" * 16_000),
    ("emoji 20000", "🔧" * 20_000),
]
VIAS = ["fonnte", "cloud"]


@pytest.fixture
def app(app_factory):
    # The development provider `log` takes both webhooks.
    app = app_factory(WHATSAPP_APP_SECRET=meta.APP_SECRET)
    reset_database(app)
    return app


def say(client, via, sender, text):
    if via == "fonnte":
        return send_wa(client, text, sender=sender)
    return meta.post(client, meta.envelope([meta.text(sender, text)], [meta.contact(sender, "Pengirim")]))


def texts_of(app, model, column):
    with app.app_context():
        return [
            getattr(row, column) for row in db.session.query(model).order_by(*model.__table__.primary_key)
        ]


def assert_whole_or_cut(stored, original):
    """The stored text holds `original` whole, or is cut with "…" to fit TEXT."""
    assert len(stored.encode()) <= TEXT_BYTES
    if original not in stored:
        assert stored.endswith(ELLIPSIS)
        # What was kept is the text's own beginning, cut on a character boundary.
        kept = stored[: -len(ELLIPSIS)]
        assert original.startswith(kept[kept.index(original[:10]) :])


def assigned_report(app, client):
    id_track = send_wa(client, "#request lampu aula mati").json["id_track"]
    with app.app_context():
        lifecycle.assign_team(service.find_report(id_track), [db.session.get(Admin, "ADM04")], "segera")
        db.session.commit()
    return id_track


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name, text", SIZES, ids=[s[0] for s in SIZES])
def test_a_huge_tbo_report_is_answered_and_stored_whole_or_cut(app, client, via, name, text):
    id_track = assigned_report(app, client)
    tracks_before = texts_of(app, Track, "catatan")

    answer = say(client, via, SISWANTO, f"#report {id_track} {text}")

    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    tracks = texts_of(app, Track, "catatan")
    assert tracks[: len(tracks_before)] == tracks_before
    assert_whole_or_cut(tracks[-1], text)
    assert texts_of(app, Kerja, "pesan")[-1] == f"#report {id_track} {text}"
    # The reporter is told, quoting the line: the worker sends it.
    notice = [r for r in texts_of(app, Outbox, "pesan") if "Perkembangan laporan" in r]
    assert notice and tracks[-1] in notice[-1]
    drain(app)
    with app.app_context():
        assert {row.status for row in db.session.query(Outbox)} == {TERKIRIM}


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name, text", SIZES, ids=[s[0] for s in SIZES])
def test_a_huge_confirmation_comment_is_answered_and_stored_whole_or_cut(app, client, via, name, text):
    id_track = assigned_report(app, client)
    assert send_wa(client, f"#finish {id_track} sudah", sender=SISWANTO).status_code == 200

    answer = say(client, via, MARTA, f"#selesai {id_track} 5 {text}")

    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    with app.app_context():
        report = service.find_report(id_track)
        assert report.status == lifecycle.DIKONFIRMASI and report.nilai == 5
        assert_whole_or_cut(report.komentar, text)
    assert_whole_or_cut(texts_of(app, Track, "catatan")[-1], text)
    assert len(texts_of(app, Track, "catatan")) == 3  # assigned, finished, confirmed


@pytest.mark.parametrize("size", [65_000, 70_000])
def test_a_group_message_with_a_huge_sender_is_stored_not_answered(app, client, size):
    send_wa(client, "#request lampu aula mati")
    group = "1" * (size - len("@g.us")) + "@g.us"

    answer = client.post("/webhook/fonnte", json=fonnte_body("halo semua", sender=group, member=MARTA))

    assert answer.status_code == 200
    stored = texts_of(app, PesanMasuk, "keterangan")
    assert len(stored) == 2
    assert stored[-1].startswith("Pesan grup 1111") and len(stored[-1].encode()) <= TEXT_BYTES


def deep(levels, opener="[", closer="]"):
    return (opener * levels + closer * levels).encode()


UNREADABLE = [
    ("nested list 50000", deep(50_000)),
    ("nested object 50000", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("nested 40", deep(40)),
    ("invalid JSON", b'{"sender": '),
    ("not UTF-8", b'{"sender": "\xff\xfe"}'),
    ("NaN", b'{"sender": NaN, "message": "x"}'),
    ("empty body", b""),
]
WRONG_SHAPES = [
    ("a list", []),
    ("a string", "halo"),
    ("a number", 12),
    ("null", None),
    ("sender is an object", {"sender": {"a": 1}, "message": "x"}),
    ("message is a list", {"sender": MARTA, "message": ["x"]}),
    ("inboxid is an object", {"sender": MARTA, "message": "#help", "inboxid": {"x": 1}}),
    ("status id is a list", {"id": ["x"], "state": "read"}),
    ("device status is a list", {"device": DEVICE, "status": ["connect"]}),
    ("device is an object", {"device": {"x": 1}, "status": "connect"}),
    ("entry is a string", {"object": "whatsapp_business_account", "entry": "x"}),
    (
        "odd message fields",
        meta.envelope(
            [
                {"from": MARTA, "id": "w1", "type": "interactive", "interactive": {"button_reply": "ya"}},
                {"from": [MARTA], "id": {"x": 1}, "type": ["text"], "text": "halo"},
                {"from": MARTA, "id": "w2", "type": "text", "text": {"body": {"x": 1}}},
            ],
            statuses=[{"id": "w3", "status": "failed", "timestamp": 1e300, "errors": [{"code": "x"}]}],
            contacts=[{"wa_id": {"x": 1}, "profile": "Marta"}],
        ),
    ),
]
URLS = ["/webhook/fonnte", "/webhook/fonnte/status", "/webhook/fonnte/device", "/webhook/whatsapp"]


def post_raw(client, url, body):
    headers = {"Content-Type": "application/json"}
    if url == "/webhook/whatsapp":
        headers["X-Hub-Signature-256"] = meta.signature(body)
    return client.post(url, data=body, headers=headers)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("name, body", UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_a_body_that_cannot_be_read_is_a_400(app, client, url, name, body):
    send_wa(client, "#request lampu aula mati")

    answer = post_raw(client, url, body)

    assert answer.status_code == 400
    assert answer.is_json and answer.json["status"] is False
    assert texts_of(app, PesanMasuk, "pesan") == ["#request lampu aula mati"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("name, payload", WRONG_SHAPES, ids=[c[0] for c in WRONG_SHAPES])
def test_a_body_of_the_wrong_shape_is_answered_not_a_500(app, client, url, name, payload):
    send_wa(client, "#request lampu aula mati")

    answer = post_raw(client, url, json.dumps(payload).encode())

    assert 200 <= answer.status_code < 500, answer.get_data(as_text=True)[:300]
    assert answer.is_json
    with app.app_context():
        assert db.session.query(Monitoring).count() == 1


# (name, url, body, (model, column) where it lands, stored). json.dumps writes a lone
# surrogate as JSON's "\\ud800", as a sender could.
LONE_SURROGATES = [
    (
        "fonnte message",
        "/webhook/fonnte",
        {"sender": MARTA, "message": "#request lampu \ud800 mati", "name": "A\udfffB"},
        (PesanMasuk, "pesan"),
        "#request lampu \ufffd mati",
    ),
    (
        "fonnte message as a form",
        "/webhook/fonnte form",
        {"sender": MARTA, "message": "#request \udc00"},
        (PesanMasuk, "pesan"),
        "#request \ufffd",
    ),
    (
        "fonnte device reason",
        "/webhook/fonnte/device",
        {"device": DEVICE, "status": "disconnect", "reason": "putus \ud800"},
        (Perangkat, "alasan"),
        "putus \ufffd",
    ),
    (
        "cloud text and profile name",
        "/webhook/whatsapp",
        meta.envelope([meta.text(MARTA, "#request \ud83d lampu")], [meta.contact(MARTA, "M\udc00")]),
        (PesanMasuk, "pesan"),
        "#request \ufffd lampu",
    ),
]


@pytest.mark.parametrize(
    "name, url, payload, where, stored", LONE_SURROGATES, ids=[c[0] for c in LONE_SURROGATES]
)
def test_a_lone_surrogate_is_stored_as_a_replacement_character(
    app, client, name, url, payload, where, stored
):
    """No driver can encode a lone surrogate: it was a 500 for ever (UnicodeEncodeError)."""
    body = json.dumps(payload)
    assert "\\ud" in body
    if url.endswith(" form"):
        # curl -d without a Content-Type: the JSON is the form's one key.
        answer = client.post(url.split()[0], data=body, content_type="application/x-www-form-urlencoded")
    else:
        answer = post_raw(client, url, body.encode())

    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert texts_of(app, *where)[-1] == stored


def test_a_pair_of_surrogates_is_the_character_it_spells(app, client):
    body = json.dumps({"sender": MARTA, "message": "#request 🔧"})
    assert "\\ud83d\\udd27" in body

    assert post_raw(client, "/webhook/fonnte", body.encode()).status_code == 200
    assert texts_of(app, PesanMasuk, "pesan") == ["#request 🔧"]


def test_deep_json_posted_as_a_form_is_a_400(app, client):
    answer = client.post("/webhook/fonnte", data=deep(50_000, "{", "}").decode())
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "text, limit, by_bytes, expected",
    [
        ("abc", 3, False, "abc"),
        ("abcd", 3, False, "ab…"),
        ("abc", 6, True, "abc"),
        ("abcdefg", 6, True, "abc…"),
        ("éééé", 8, True, "éééé"),
        ("ééééé", 8, True, "éé…"),  # 4 bytes left for text: two 2-byte characters
        ("a😀😀", 7, True, "a…"),  # an emoji is never split
        ("😀😀", 8, True, "😀😀"),
        ("", 1, False, ""),
    ],
)
def test_cut(text, limit, by_bytes, expected):
    assert cut(text, limit, by_bytes) == expected


def test_limits_come_from_the_columns():
    assert limit_of(Track.__table__.c.catatan) == (65_535, True)
    assert limit_of(Monitoring.__table__.c.komentar) == (65_535, True)
    assert limit_of(Monitoring.__table__.c.pesan) == (16_777_215, True)
    assert limit_of(PesanMasuk.__table__.c.telepon) == (20, False)
    assert limit_of(Monitoring.__table__.c.idm) is None


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("command", ["#request ", "#cek ", "#track ", "#selesai ", "#start ", "", "#"])
def test_any_message_of_80_kb_is_answered_and_stored(app, client, via, command):
    text = command + "🔧" * 20_000
    assert send_wa(client, "#request lampu aula mati").status_code == 200

    answer = say(client, via, SISWANTO if command == "#start " else MARTA, text)

    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    stored = texts_of(app, PesanMasuk, "pesan")
    assert stored == ["#request lampu aula mati", text]
    assert all(len(r.encode()) <= 16_777_215 for r in texts_of(app, Outbox, "pesan"))
