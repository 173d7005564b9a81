"""The 1000th report of a month: BRT26111000 follows BRT2611999 (11 characters), and every
place that takes a tracking number takes it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect

from app import clock
from app.extensions import db
from app.models import Monitoring, Nomor
from app.reporting import service
from app.reporting.commands import Command, parse, parse_tracking_id
from app.reporting.tracking import format_number
from tests.conftest import MARTA, login, replies, send_wa

SISWANTO = "6282124603757"  # TBO ADM04
NEW = "BRT26111000"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("#cek BRT26111000", Command("cek", id_track=NEW)),
        ("cek brt26111000", Command("cek", id_track=NEW)),
        ("#cek *BRT26111000*", Command("cek", id_track=NEW)),
        ("#cek BRT-2611-1000", Command("cek", id_track=NEW)),
        ("#cek brt 26111000", Command("cek", id_track=NEW)),
        ("#track BRT26111000", Command("track", id_track=NEW)),
        ("#start BRT26111000 otw", Command("start", text="otw", id_track=NEW)),
        ("#report brt26111000 kabel diganti", Command("report", text="kabel diganti", id_track=NEW)),
        ("#finish BRT26111000", Command("finish", id_track=NEW)),
        ("#selesai BRT26111000 5 mantap", Command("selesai", text="mantap", id_track=NEW, rating=5)),
        # the old three digits and the longest a 7-letter prefix gives (15 characters)
        ("#cek BRT2611999", Command("cek", id_track="BRT2611999")),
        ("#cek SARPRAS26119999", Command("cek", id_track="SARPRAS26119999")),
    ],
)
def test_commands_take_four_digit_sequences(message, expected):
    assert parse(message) == expected


@pytest.mark.parametrize(
    ("key", "sequence", "number"),
    [
        ("BRT2611", 1, "BRT2611001"),
        ("BRT2611", 999, "BRT2611999"),
        ("BRT2611", 1000, NEW),
        ("BRT2611", 1234, "BRT26111234"),
    ],
)
def test_the_sequence_keeps_three_digits_until_it_needs_four(key, sequence, number):
    assert format_number(key, sequence) == number
    assert parse_tracking_id(number) == number


@pytest.fixture
def november():
    clock.freeze(datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    yield
    clock.freeze(None)


def test_the_thousandth_report_of_a_month_is_found_everywhere(app, client, runner, november):
    with app.app_context():
        db.session.add(Nomor(kunci="BRT2611", nomor=999))
        db.session.commit()
    assert send_wa(client, "#request lampu parkir mati").json["id_track"] == NEW
    assert replies(app, MARTA)[-1].endswith(f"Dengan Nomor Tracking Anda: *{NEW}*")
    assert send_wa(client, "#request pintu macet").json["id_track"] == "BRT26111001"

    send_wa(client, f"#cek {NEW.lower()}")
    assert f"Laporan *{NEW}* sudah kami terima" in replies(app, MARTA)[-1]

    # the CLI and the panel take it
    result = runner.invoke(args=["assign", NEW, "siswanto", "--catatan", "cek lampu"])
    assert result.exit_code == 0, result.output
    assert f"Laporan {NEW} ditugaskan kepada Siswanto." in result.output
    login(client, "nikolai")
    listing = client.get(f"/laporan?q={NEW}").get_data(as_text=True)
    assert f"/laporan/{NEW}" in listing and "/laporan/BRT26111001" not in listing
    page = client.get(f"/laporan/{NEW}")
    assert page.status_code == 200 and "lampu parkir mati" in page.get_data(as_text=True)
    assert client.get(f"/cetak/laporan/{NEW}").status_code == 200

    # the technician's commands and the reporter's confirmation
    send_wa(client, "#job", sender=SISWANTO)
    assert f"*{NEW}*" in replies(app, SISWANTO)[-1]
    send_wa(client, f"#start {NEW}", sender=SISWANTO)
    send_wa(client, f"#finish {NEW} lampu diganti", sender=SISWANTO)
    assert replies(app, SISWANTO)[-1].startswith(f"Laporan *{NEW}* tercatat selesai.")
    send_wa(client, f"#track {NEW}")
    history = replies(app, MARTA)[-1]
    assert "Siswanto" in history and "lampu diganti" in history
    send_wa(client, f"#selesai {NEW} 5")
    with app.app_context():
        assert service.find_report(NEW).status == "Dikonfirmasi"


def test_a_month_already_past_999_goes_on_from_its_highest_number(app, client, november):
    """A database brought over without the counter (tb_nomor) continues after its own
    numbers, compared as numbers: 1000 is higher than 999."""
    with app.app_context():
        for number in ("BRT2611998", "BRT2611999", NEW):
            db.session.add(
                Monitoring(
                    tanggal=clock.local_now().date(),
                    jam=clock.local_now().time().replace(tzinfo=None),
                    pesan="lama",
                    telepon=MARTA,
                    id_track=number,
                    status="Selesai",
                )
            )
        db.session.commit()
    assert send_wa(client, "#request kran bocor").json["id_track"] == "BRT26111001"


def test_every_tracking_number_column_holds_fifteen_characters(app):
    with app.app_context():
        inspector = inspect(db.engine)
        columns = {
            table: column["type"].length
            for table in inspector.get_table_names()
            for column in inspector.get_columns(table)
            if column["name"] == "id_track"
        }
    assert {"tb_monitoring", "tb_in", "tb_kerja", "tb_track", "tb_penugasan", "tb_outbox"} <= set(columns)
    assert all(length >= 15 for length in columns.values()), columns
