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
    ("#request", Command(c.INVALID, text="request")),
    ("#tolong   ", Command(c.INVALID, text="request")),
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
    ("#cek halo semuanya", Command(c.INVALID, text="cek")),
    ("#cek 2409001", Command(c.INVALID, text="cek")),
    # track
    ("#track BRT2409001", Command(c.TRACK, id_track="BRT2409001")),
    ("#TRACK brt2409001", Command(c.TRACK, id_track="BRT2409001")),
    ("track", Command(c.INVALID, text="track")),
    ("#track nomor saya", Command(c.INVALID, text="track")),
    # technicians
    ("#help2", Command(c.HELP2)),
    ("HELP2", Command(c.HELP2)),
    ("#job", Command(c.JOB)),
    ("job hari ini", Command(c.JOB)),
    ("#start BRT2409002", Command(c.START, id_track="BRT2409002")),
    ("start brt2409002 otw", Command(c.START, text="otw", id_track="BRT2409002")),
    (
        "#report BRT2409002 Sebagian alat sedang dibelanjakan",
        Command(c.REPORT, text="Sebagian alat sedang dibelanjakan", id_track="BRT2409002"),
    ),
    ("#Report  brt2409002", Command(c.REPORT, id_track="BRT2409002")),
    ("#finish BRT2409002", Command(c.FINISH, id_track="BRT2409002")),
    (
        "#finish BRT2409002 sudah diberi wangi-wangian",
        Command(c.FINISH, text="sudah diberi wangi-wangian", id_track="BRT2409002"),
    ),
    ("#start", Command(c.INVALID, text="start")),
    ("#report lampu sudah", Command(c.INVALID, text="report")),
    ("#finish", Command(c.INVALID, text="finish")),
    # the reporter's confirmation
    ("#selesai BRT2409002", Command(c.SELESAI, id_track="BRT2409002")),
    ("#selesai brt2409002 5", Command(c.SELESAI, id_track="BRT2409002", rating=5)),
    (
        "#selesai BRT2409002 4 rapi sekali",
        Command(c.SELESAI, text="rapi sekali", id_track="BRT2409002", rating=4),
    ),
    (
        "#selesai BRT2409002 ⭐⭐⭐ lumayan",
        Command(c.SELESAI, text="lumayan", id_track="BRT2409002", rating=3),
    ),
    ("#selesai BRT2409002 terima kasih", Command(c.SELESAI, text="terima kasih", id_track="BRT2409002")),
    ("#selesai BRT2409002 10 menit beres", Command(c.SELESAI, text="10 menit beres", id_track="BRT2409002")),
    ("#selesai", Command(c.INVALID, text="selesai")),
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
