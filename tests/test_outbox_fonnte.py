"""Replies leave through the outgoing queue and reach a loopback Fonnte over real HTTP."""

import logging
import threading
import time
from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.messaging import outbox
from app.messaging.dispatcher import Dispatcher
from app.models import Outbox
from app.models.outbox import ANTRI, GAGAL, KIRIM, TERKIRIM
from app.worker import Worker
from tests.conftest import MARTA, SHE, drain, quiet_office, reset_database, send_wa
from tests.waiting import wait_until


@pytest.fixture
def app(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    quiet_office(app)
    return app


def rows(app):
    with app.app_context():
        return [
            (r.status, r.percobaan, r.galat, r.id_provider, r.provider)
            for r in db.session.query(Outbox).order_by(Outbox.ido)
        ]


def test_it_sends_the_reply_through_fonntes_send_api(app, client, fonnte):
    send_wa(client, "#request lampu mati di aula")
    assert drain(app) == 1
    (sent,) = fonnte.received
    assert sent["authorization"] == "fonnte-token"
    assert sent["target"] == MARTA
    assert sent["countryCode"] == "0"
    with app.app_context():
        month = clock.local_now().strftime("%y%m")
    assert sent["message"].endswith(f"Dengan Nomor Tracking Anda: *BRT{month}001*")
    assert "url" not in sent
    assert rows(app) == [(TERKIRIM, 1, "", sent["id"], "fonnte")]


def test_it_sends_media_with_url_and_filename(app, fonnte):
    with app.app_context():
        outbox.enqueue(MARTA, "foto bukti", media_url="http://127.0.0.1/x.jpg", media_nama="x.jpg")
        db.session.commit()
    drain(app)
    assert (fonnte.received[0]["url"], fonnte.received[0]["filename"]) == ("http://127.0.0.1/x.jpg", "x.jpg")


def test_it_keeps_the_order_of_messages_to_one_person(app, client, fonnte):
    for n in range(6):
        send_wa(client, f"#request keluhan {n}")
    drain(app)
    numbers = [m["message"][-5:-1] for m in fonnte.received]
    assert numbers == sorted(numbers)


def test_it_retries_while_fonnte_is_down_and_sends_when_it_is_back(app, client, fonnte):
    fonnte.mode = "http500"
    send_wa(client, "#request lampu mati")
    Dispatcher(app).run_once()
    [(status, attempts, error, _, _)] = rows(app)
    assert (status, attempts) == (ANTRI, 1)
    assert "HTTP 500" in error

    fonnte.mode = "ok"
    dispatcher = Dispatcher(app)
    try:
        # The retry is due after the backoff: keep asking until it went.
        assert wait_until(lambda: dispatcher.run_once() and fonnte.received)
    finally:
        dispatcher.close()
    assert len(fonnte.received) == 1
    assert rows(app)[0][:3] == (TERKIRIM, 2, "")


@pytest.fixture
def slow_retries(app_factory, fonnte):
    """Retries a minute apart, so 'waiting for its retry' cannot pass for 'sent'."""
    app = app_factory(
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=fonnte.token,
        FONNTE_API_URL=fonnte.url,
        OUTBOX_RETRY_BASE_SECONDS=60,
        OUTBOX_RETRY_MAX_SECONDS=600,
    )
    reset_database(app)
    quiet_office(app)
    return app


def after_an_outage(app, fonnte, then_from):
    """Marta's #request fails while Fonnte is down; Fonnte comes back; `then_from` writes
    (#cek for Marta, #help for anyone else) and the worker sends what it can."""
    client = app.test_client()
    dispatcher = Dispatcher(app)
    try:
        fonnte.mode = "http500"
        send_wa(client, "#request lampu mati")
        dispatcher.run_once()
        fonnte.mode = "ok"
        send_wa(client, "#cek" if then_from == MARTA else "#help", sender=then_from)
        dispatcher.drain()
    finally:
        dispatcher.close()


def test_once_someone_s_reply_goes_through_every_waiting_retry_goes_at_once(slow_retries, fonnte):
    after_an_outage(slow_retries, fonnte, then_from=SHE)  # She's reply shows Fonnte is back
    app = slow_retries
    assert [m["target"] for m in fonnte.received] == [SHE, MARTA]  # not a minute later
    assert [r[:2] for r in rows(app)] == [(TERKIRIM, 2), (TERKIRIM, 1)]


def test_a_person_writing_again_after_an_outage_is_not_kept_waiting(slow_retries, fonnte):
    """Nobody else writes, so no other send shows Fonnte is back: her new message makes
    the worker try her waiting reply again now rather than at its retry time, and her
    replies keep their order."""
    after_an_outage(slow_retries, fonnte, then_from=MARTA)
    assert [m["target"] for m in fonnte.received] == [MARTA, MARTA]
    assert "Nomor Tracking" in fonnte.received[0]["message"]


def test_while_sends_fail_the_early_retry_comes_at_most_every_half_minute(slow_retries, fonnte):
    app, client = slow_retries, slow_retries.test_client()
    dispatcher = Dispatcher(app)
    try:
        fonnte.mode = "http500"
        send_wa(client, "#request lampu mati")
        send_wa(client, "#cek")
        for _ in range(5):
            dispatcher.run_once()
    finally:
        dispatcher.close()
    # The first attempt, one early retry, nothing more; #cek waits untried behind them.
    assert [r[:2] for r in rows(app)] == [(ANTRI, 2), (ANTRI, 0)]


def test_in_one_batch_a_failure_holds_the_rest_for_that_person_untried(slow_retries, fonnte):
    with slow_retries.app_context():
        for text in ("satu", "dua", "tiga"):
            outbox.enqueue(MARTA, text)
        outbox.enqueue(SHE, "untuk She")
        db.session.commit()
    fonnte.mode = "http500"
    dispatcher = Dispatcher(slow_retries)
    try:
        dispatcher.run_once()
    finally:
        dispatcher.close()
    statuses = [(status, attempts) for status, attempts, *_ in rows(slow_retries)]
    assert statuses == [(ANTRI, 1), (ANTRI, 0), (ANTRI, 0), (ANTRI, 1)]


def test_it_retries_when_fonnte_cannot_be_reached_at_all(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN="t", FONNTE_API_URL="http://127.0.0.1:9/send")
    reset_database(app)
    send_wa(app.test_client(), "#help")
    Dispatcher(app).run_once()
    [(status, attempts, error, _, _)] = rows(app)
    assert (status, attempts) == (ANTRI, 1)
    assert "Tidak dapat terhubung" in error


def test_it_treats_a_status_false_answer_as_a_failure_and_retries_a_transient_one(app, client, fonnte):
    fonnte.mode = "reason:device disconnected"
    send_wa(client, "#help")
    Dispatcher(app).run_once()
    [(status, attempts, error, _, _)] = rows(app)
    assert (status, attempts, error) == (ANTRI, 1, "Fonnte menolak: device disconnected")


def test_it_marks_an_invalid_token_as_failed_for_good(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN="salah", FONNTE_API_URL=fonnte.url)
    reset_database(app)
    send_wa(app.test_client(), "#help")
    drain(app)
    assert rows(app)[0][:3] == (GAGAL, 1, "Fonnte menolak: token invalid")
    assert fonnte.received == []


def test_it_marks_an_invalid_target_as_failed_for_good(app, fonnte):
    with app.app_context():
        outbox.enqueue("bukan-nomor", "halo")
        db.session.commit()
    drain(app)
    assert rows(app)[0][:3] == (GAGAL, 1, "Fonnte menolak: target invalid")


def test_it_gives_up_after_the_last_attempt(app_factory, fonnte):
    app = app_factory(
        WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url, OUTBOX_MAX_ATTEMPTS=2
    )
    reset_database(app)
    fonnte.mode = "http500"
    send_wa(app.test_client(), "#help")
    dispatcher = Dispatcher(app)
    try:
        dispatcher.run_once()
        # The second attempt is due after the backoff; it is the last one.
        assert wait_until(lambda: dispatcher.run_once() and rows(app)[0][:2] == (GAGAL, 2))
    finally:
        dispatcher.close()


def test_it_backs_off_longer_after_each_failure(app):
    config = {"OUTBOX_RETRY_BASE_SECONDS": 5, "OUTBOX_RETRY_MAX_SECONDS": 1800}
    assert [outbox.retry_delay(config, n) for n in (1, 2, 3, 4, 12)] == [5, 10, 20, 40, 1800]


def test_it_keeps_a_failed_row_with_its_reason_when_the_provider_is_unknown(app_factory):
    app = app_factory(WA_PROVIDER="merpati")
    reset_database(app)
    send_wa(app.test_client(), "#help")
    drain(app)
    status, _, error, _, _ = rows(app)[0]
    assert status == GAGAL and "merpati" in error


def test_two_dispatchers_never_send_one_message_twice(app, client, fonnte):
    fonnte.mode = "slow:0.01"
    for n in range(40):
        send_wa(client, f"#request keluhan {n}", sender=f"62812000{n:05d}")
    dispatchers = [Dispatcher(app) for _ in range(3)]
    threads = [threading.Thread(target=d.drain) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fonnte.received) == 40
    assert len({m["target"] for m in fonnte.received}) == 40
    assert {r[0] for r in rows(app)} == {TERKIRIM}


def test_it_puts_back_a_message_claimed_by_a_worker_that_died(app, fonnte):
    with app.app_context():
        clock.freeze(clock.local_now() - timedelta(minutes=5))
        try:
            outbox.enqueue(MARTA, "halo")
            db.session.commit()
            assert len(outbox.claim(10)) == 1  # ...and the worker dies here
        finally:
            clock.freeze(None)
        assert outbox.claim(10) == []
        assert outbox.reclaim_stale(app.config) == 1
        # Nothing tells whether it went before the worker died: in doubt, after a backoff.
        back = db.session.query(Outbox).one()
        assert (back.status, back.galat.startswith(outbox.IN_DOUBT)) == (ANTRI, True)
        clock.freeze(clock.local_now() + timedelta(seconds=app.config["OUTBOX_RETRY_MAX_SECONDS"] + 1))
        try:
            drain(app)
        finally:
            clock.freeze(None)
    assert len(fonnte.received) == 1


def test_a_reply_is_only_queued_with_what_caused_it(app, client, monkeypatch):
    """A failure while handling a message leaves neither a half report nor a reply behind."""
    from app.reporting import service

    def broken(*args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(service, "create_report", broken)
    with pytest.raises(RuntimeError):
        send_wa(client, "#request lampu mati")
    with app.app_context():
        assert db.session.query(Outbox).count() == 0


def test_the_worker_sends_a_reply_within_a_second_of_the_webhook_call(app, client, fonnte):
    worker = Worker(app).start()
    try:
        assert worker.active.wait(5)
        started = time.time()
        send_wa(client, "#request lampu mati")
        (sent,) = fonnte.wait_for(1, timeout=5)
        assert sent["at"] - started < 1.0
    finally:
        worker.stop()


def test_queued_messages_survive_a_restart(app, client, fonnte):
    fonnte.mode = "http500"
    send_wa(client, "#help")
    send_wa(client, "#help", sender=SHE)
    Dispatcher(app).run_once()
    fonnte.mode = "ok"
    # a new process: a new app object on the same database
    from tests.conftest import make_app

    again = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        __import__("pathlib").Path(app.instance_path).parent,
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=fonnte.token,
        FONNTE_API_URL=fonnte.url,
    )
    worker = Worker(again).start()
    try:
        assert len(fonnte.wait_for(2, timeout=10)) == 2
    finally:
        worker.stop()
        with again.app_context():
            db.session.remove()
            db.engine.dispose()


def test_only_one_worker_is_active_at_a_time(app, caplog):
    caplog.set_level(logging.INFO)
    first, second = Worker(app).start(), Worker(app).start()
    try:
        assert wait_until(lambda: first.active.is_set() or second.active.is_set())
        waiting = second if first.active.is_set() else first
        # The other one asked for the lease too, and was told to wait.
        assert wait_until(lambda: any(waiting.owner in r.getMessage() for r in caplog.records))
        assert first.active.is_set() != second.active.is_set()
    finally:
        first.stop()
        second.stop()


def test_a_claimed_row_shows_as_being_sent(app):
    with app.app_context():
        outbox.enqueue(MARTA, "halo")
        db.session.commit()
        outbox.claim(1)
        assert db.session.query(Outbox).one().status == KIRIM


def test_it_waits_as_long_as_the_provider_asks(app):
    from app.messaging.http import TransportError

    with app.app_context():
        outbox.enqueue(MARTA, "halo")
        db.session.commit()
        (item,) = outbox.claim(1)
        outbox.record(
            [outbox.Result(item.ido, "log", error=TransportError("HTTP 429", retry_after=30))],
            app.config,
        )
        row = db.session.query(Outbox).one()
        assert row.status == ANTRI
        assert 29 <= (row.kirim_setelah - clock.utcnow()).total_seconds() <= 31
