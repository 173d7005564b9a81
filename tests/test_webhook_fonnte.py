"""POST /webhook/fonnte: what Fonnte sends, what it gets back, and what is stored."""

import json

import pytest

from app.extensions import db
from app.models import Monitoring, Outbox, PesanMasuk
from tests.conftest import DEVICE, MARTA, OFFICE, fonnte_body, replies, send_wa


def count(app, model):
    with app.app_context():
        return db.session.query(model).count()


def test_it_stores_every_message_in_tb_in_and_answers_200(app, client):
    response = send_wa(client, "halo")
    assert response.status_code == 200
    assert response.json["status"] is True
    with app.app_context():
        row = db.session.query(PesanMasuk).one()
        assert (row.pesan, row.telepon) == ("halo", MARTA)
        assert row.respon.startswith("*Gunakan Pola Permohonan BRT ISTN.*")
        assert row.keterangan == "Pola salah"


def test_it_accepts_form_encoded_bodies(app, client):
    response = client.post("/webhook/fonnte", data=fonnte_body("#request kran bocor"))
    assert response.status_code == 200
    assert count(app, Monitoring) == 1


def test_it_accepts_json_sent_without_a_content_type(app, client):
    import json

    response = client.post(
        "/webhook/fonnte", data=json.dumps(fonnte_body("#help")), content_type="text/plain"
    )
    assert response.status_code == 200
    assert count(app, PesanMasuk) == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"message": "#help"},
        {"sender": MARTA},
        {"device": DEVICE, "status": "unknown"},
        {"sender": "bukan nomor", "message": "#help"},
        {"sender": MARTA, "message": {"text": "#help"}},
        ["sender", "message"],
    ],
    ids=["empty", "no-sender", "no-message", "unknown-status", "bad-sender", "message-object", "json-list"],
)
def test_it_refuses_what_is_not_a_message_with_400_and_stores_nothing(app, client, body):
    response = client.post("/webhook/fonnte", json=body)
    assert response.status_code == 400
    assert response.json["status"] is False
    assert count(app, PesanMasuk) == 0


def test_it_refuses_a_body_that_is_not_json_or_form(app, client):
    response = client.post(
        "/webhook/fonnte", data=b"\x00\x01garbage", content_type="application/octet-stream"
    )
    assert response.status_code == 400
    assert count(app, PesanMasuk) == 0


def test_it_refuses_a_huge_body_with_413(app, client):
    response = send_wa(client, "#request " + "x" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert count(app, PesanMasuk) == 0


class TestToken:
    @pytest.fixture
    def app(self, app_factory):
        from tests.conftest import reset_database

        app = app_factory(WEBHOOK_TOKEN="rahasia")
        reset_database(app)
        return app

    def test_it_refuses_a_call_without_the_token(self, app, client):
        assert send_wa(client, "#help").status_code == 401
        assert count(app, PesanMasuk) == 0

    def test_it_refuses_a_wrong_token(self, app, client):
        response = client.post("/webhook/fonnte?token=salah", json=fonnte_body("#help"))
        assert response.status_code == 403
        assert count(app, PesanMasuk) == 0

    def test_it_takes_a_call_with_the_token(self, app, client):
        response = client.post("/webhook/fonnte?token=rahasia", json=fonnte_body("#help"))
        assert response.status_code == 200
        assert count(app, PesanMasuk) == 1


def test_it_handles_a_delivery_repeated_by_fonnte_once(app, client):
    for _ in range(3):
        response = send_wa(client, "#request lampu mati", inboxid=98765)
        assert response.status_code == 200
    assert count(app, PesanMasuk) == 1
    assert count(app, Monitoring) == 1
    assert count(app, Outbox) == 1 + OFFICE


def test_it_treats_inboxid_zero_or_missing_as_no_id(app, client):
    send_wa(client, "#request lampu mati", inboxid=0)
    send_wa(client, "#request lampu mati", inboxid=0)
    body = fonnte_body("#request lampu mati")
    del body["inboxid"]
    client.post("/webhook/fonnte", json=body)
    assert count(app, Monitoring) == 3


def test_it_tells_the_same_inboxid_of_two_devices_apart(app, client):
    send_wa(client, "#help", inboxid=5, device="6281100000001")
    send_wa(client, "#help", inboxid=5, device="6281100000002")
    assert count(app, PesanMasuk) == 2


def test_it_stores_but_does_not_answer_group_messages(app, client):
    response = send_wa(client, "#request lampu mati", sender="120363025343123456@g.us", member=MARTA)
    assert response.status_code == 200
    assert count(app, Monitoring) == 0
    assert replies(app) == []
    with app.app_context():
        row = db.session.query(PesanMasuk).one()
        assert row.telepon == MARTA
        assert "grup" in row.keterangan


@pytest.mark.parametrize("member", ["", "0", 0, False, "null", None, "  "])
def test_a_private_chat_is_answered_however_member_says_empty(app, client, member):
    assert send_wa(client, "#help", member=member).status_code == 200
    assert len(replies(app)) == 1


def test_json_posted_as_a_form_is_read_as_json(app, client):
    body = json.dumps(fonnte_body("#help"))
    response = client.post("/webhook/fonnte", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and len(replies(app)) == 1


def test_it_stores_but_does_not_answer_our_own_device(app, client):
    response = send_wa(client, "#help", sender=DEVICE)
    assert response.status_code == 200
    assert count(app, PesanMasuk) == 1
    assert replies(app) == []


def test_it_says_it_is_alive_on_get(client):
    assert client.get("/webhook/fonnte").json["status"] is True
