"""The WhatsApp command parser, as a table of what people actually type."""

import pytest

from app.reporting import commands as c
from app.reporting.commands import Command, parse, parse_tracking_id

CASES = [
    # the menu
    ("#help", Command(c.MENU)),
    ("#HELP", Command(c.MENU)),
    ("help", Command(c.MENU)),
    ("  #help   ", Command(c.MENU)),
    ("# help", Command(c.MENU)),
    ("#menu", Command(c.MENU)),
    # the five request keywords, with and without '#', any case
    ("#request lampu mati di aula", Command(c.REQUEST, text="lampu mati di aula")),
    ("#Request Bak Mandi Bocor", Command(c.REQUEST, text="Bak Mandi Bocor")),
    ("#req AC ruang 301 panas", Command(c.REQUEST, text="AC ruang 301 panas")),
    ("REQ   AC   rusak", Command(c.REQUEST, text="AC   rusak")),
    ("#help proyektor rusak", Command(c.REQUEST, text="proyektor rusak")),
    ("#bantu pintu macet", Command(c.REQUEST, text="pintu macet")),
    ("tolong rumput sudah tinggi di aula", Command(c.REQUEST, text="rumput sudah tinggi di aula")),
    ("#Request: atap bocor", Command(c.REQUEST, text="atap bocor")),
    ("#request\nbaris kedua", Command(c.REQUEST, text="baris kedua")),
    ("#request 💡 lampu 🔥 konslet", Command(c.REQUEST, text="💡 lampu 🔥 konslet")),
    ("#request", Command(c.REQUEST_EMPTY)),
    ("#tolong   ", Command(c.REQUEST_EMPTY)),
    # cek
    ("#cek BRT2409001", Command(c.CEK, id_track="BRT2409001")),
    ("#cek brt2409001", Command(c.CEK, id_track="BRT2409001")),
    ("cek   Brt2409001  ", Command(c.CEK, id_track="BRT2409001")),
    ("#CEK *BRT2409001*", Command(c.CEK, id_track="BRT2409001")),
    ("#cek BRT-2409001", Command(c.CEK, id_track="BRT2409001")),
    ("#cek brt 2409001", Command(c.CEK, id_track="BRT2409001")),
    ("#cek MON2403002", Command(c.CEK, id_track="MON2403002")),
    ("#cek BRT2409001 sudah sampai mana?", Command(c.CEK, id_track="BRT2409001")),
    ("#cek", Command(c.CEK_LIST)),
    ("cek", Command(c.CEK_LIST)),
    ("#cek halo semuanya", Command(c.CEK_INVALID)),
    ("#cek 2409001", Command(c.CEK_INVALID)),
    # track
    ("#track BRT2409001", Command(c.TRACK, id_track="BRT2409001")),
    ("#TRACK brt2409001", Command(c.TRACK, id_track="BRT2409001")),
    ("track", Command(c.TRACK_INVALID)),
    ("#track nomor saya", Command(c.TRACK_INVALID)),
    # everything else
    ("#semuanya baik baik aja", Command(c.UNKNOWN)),
    ("halo", Command(c.UNKNOWN)),
    ("", Command(c.UNKNOWN)),
    ("   ", Command(c.UNKNOWN)),
    (None, Command(c.UNKNOWN)),
    ("🙏🙏", Command(c.UNKNOWN)),
    ("#", Command(c.UNKNOWN)),
    ("#requestlampu", Command(c.UNKNOWN)),
    ("<script>alert(1)</script>", Command(c.UNKNOWN)),
]


@pytest.mark.parametrize(("message", "expected"), CASES, ids=[repr(m) for m, _ in CASES])
def test_it_parses(message, expected):
    assert parse(message) == expected


def test_it_keeps_a_very_long_complaint_whole():
    complaint = "kerusakan " * 5000
    assert parse("#request " + complaint) == Command(c.REQUEST, text=complaint.strip())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("BRT2409001", "BRT2409001"), ("x", None), ("", None), ("BRT", None), ("12345", None)],
)
def test_it_reads_tracking_ids(text, expected):
    assert parse_tracking_id(text) == expected
