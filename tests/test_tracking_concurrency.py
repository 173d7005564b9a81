"""Tracking numbers stay unique and gap-free when many reports arrive at the same instant."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from werkzeug.serving import make_server

from app import clock
from app.extensions import db
from app.models import Monitoring, Outbox, PesanMasuk
from tests.conftest import OFFICE, fonnte_body

REPORTERS = 30


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def test_concurrent_reports_get_unique_gap_free_numbers(app):
    server = serve(app)
    url = f"http://127.0.0.1:{server.server_port}/webhook/fonnte"
    start = threading.Barrier(REPORTERS)

    def report(n):
        start.wait()  # all at the same instant
        body = fonnte_body(f"#request keluhan serentak {n}", sender=f"62812555{n:05d}", inboxid=1000 + n)
        return requests.post(url, json=body, timeout=60)

    try:
        with ThreadPoolExecutor(REPORTERS) as pool:
            responses = list(pool.map(report, range(REPORTERS)))
    finally:
        server.shutdown()

    assert [r.status_code for r in responses] == [200] * REPORTERS
    with app.app_context():
        month = f"BRT{clock.local_now():%y%m}"
        numbers = sorted(r.id_track for r in db.session.query(Monitoring))
        assert numbers == [f"{month}{n:03d}" for n in range(1, REPORTERS + 1)]
        assert sorted(r.json()["id_track"] for r in responses) == numbers
        assert db.session.query(PesanMasuk).count() == REPORTERS
        assert db.session.query(Outbox).count() == REPORTERS * (1 + OFFICE)


def test_a_repeated_delivery_arriving_concurrently_is_stored_once(app):
    server = serve(app)
    url = f"http://127.0.0.1:{server.server_port}/webhook/fonnte"
    start = threading.Barrier(10)

    def deliver(_):
        start.wait()
        return requests.post(url, json=fonnte_body("#request lampu", inboxid=4242), timeout=60)

    try:
        with ThreadPoolExecutor(10) as pool:
            responses = list(pool.map(deliver, range(10)))
    finally:
        server.shutdown()
    assert [r.status_code for r in responses] == [200] * 10
    with app.app_context():
        assert db.session.query(Monitoring).count() == 1
        assert db.session.query(Outbox).count() == 1 + OFFICE
