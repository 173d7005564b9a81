"""The report page's List Respon (issue #12 item 6): this report's messages first, then the
reporter's other messages, marked as such; bounded, and found through indexes."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, text

from app import clock
from app.extensions import db
from app.models import Admin, PesanMasuk
from app.panel import conversation
from app.reporting import commands, lifecycle, service
from tests.conftest import MARTA, SHE, send_wa

SISWANTO = "6282124603757"  # TBO ADM04


@pytest.fixture(autouse=True)
def morning():
    clock.freeze(datetime(2024, 9, 17, 7, 31, 23, tzinfo=ZoneInfo("Asia/Jakarta")))
    yield
    clock.freeze(None)


MENTIONS = [
    ("#cek BRT2409001", True),
    ("#cek brt2409001", True),
    ("lampu BRT-2409001 masih mati", True),
    ("soal brt 2409001 kemarin", True),
    ("*BRT2409001*, sudah?", True),
    ("BRT/2409001", True),
    ("BRT24090011", False),  # another number
    ("XBRT2409001", False),
    ("BRT2409002", False),
    ("2409001", False),  # the digits alone name nothing
    ("", False),
]


@pytest.mark.parametrize(("message", "names"), MENTIONS)
def test_which_messages_name_the_number(message, names):
    assert commands.names_tracking_id(message, "BRT2409001") is names


def test_the_digits_every_spelling_contains():
    assert commands.tracking_digits("BRT2409001") == "2409001"
    assert commands.tracking_digits("MON2403002") == "2403002"


def texts_of(rows):
    return [m.pesan for m in rows]


def the_page(client, id_track):
    page = client.get(f"/laporan/{id_track}").get_data(as_text=True)
    this = page.split('id="respon-laporan"')[1].split("</table>")[0]
    other = page.split('id="respon-lain"')[1].split("</table>")[0]
    return this, other


def test_this_reports_messages_come_first_then_the_reporters_others(app, client, staf):
    send_wa(client, "#request lampu aula mati")  # BRT2409001
    send_wa(client, "#request kursi ruang 2 patah")  # BRT2409002
    send_wa(client, "#cek brt-2409001")
    send_wa(client, "halo, lampu BRT 2409001 sudah diganti belum?")  # no command: names it
    send_wa(client, "#cek")
    send_wa(client, "#request wastafel mampet", sender=SHE)  # someone else entirely
    with app.app_context():
        report = service.find_report("BRT2409001")
        lifecycle.assign_team(report, [db.session.get(Admin, "ADM04")], "", "ADM03")
        db.session.commit()
    send_wa(client, "#start BRT2409001", sender=SISWANTO)

    with app.app_context():
        found = conversation.of_report(service.find_report("BRT2409001"))
        assert texts_of(found.this) == [
            "#request lampu aula mati",
            "#cek brt-2409001",
            "halo, lampu BRT 2409001 sudah diganti belum?",
            "#start BRT2409001",
        ]
        assert found.opener == found.this[0].idn
        assert found.senders == {SISWANTO: "Siswanto"}
        assert texts_of(found.other) == ["#cek", "#request kursi ruang 2 patah"]

    this, other = the_page(client, "BRT2409001")
    assert this.index("pembuka laporan") < this.index("#request lampu aula mati")
    assert this.count("pembuka laporan") == 1
    assert "dari Siswanto" in this and "#start BRT2409001" in this
    assert "kursi" not in this and "wastafel" not in this
    assert other.count("pesan lain dari pelapor") == 2
    assert "#request kursi ruang 2 patah" in other and "BRT2409002" in other
    assert "#request lampu aula mati" not in other and "wastafel" not in other

    this, other = the_page(client, "BRT2409002")
    assert "#request kursi ruang 2 patah" in this
    assert "Tidak ada pesan lain." not in other and "#request lampu aula mati" in other


def test_each_part_is_bounded(app, client, staf):
    send_wa(client, "#request lampu aula mati")
    with app.app_context():
        rows = [
            dict(
                tanggal=date(2024, 9, 17),
                jam=time(8, 0),
                pesan=f"pesan {n}" + (" BRT2409001" if n % 2 else ""),
                respon="",
                id_track="",
                telepon=MARTA,
                keterangan="",
            )
            for n in range(30)
        ]
        db.session.execute(insert(PesanMasuk.__table__), rows)
        db.session.commit()
        found = conversation.of_report(service.find_report("BRT2409001"), limit=10)
        assert len(found.this) == 10 and len(found.other) == 10
        assert texts_of(found.this)[-1] == "pesan 29 BRT2409001"  # the latest of them
        assert texts_of(found.other)[0] == "pesan 28"
        assert all("BRT2409001" not in m.pesan for m in found.other)


# --- the queries use indexes on a big tb_in --------------------------------------------

PHONES = 400
PER_PHONE = 50


def fill_tb_in(app):
    with app.app_context():
        rows = [
            dict(
                tanggal=date(2024, 9, 17),
                jam=time(8, 0),
                pesan=f"#cek BRT2409{n % 999:03d} pesan nomor {n}",
                respon="",
                id_track=f"BRT2409{n % 999:03d}",
                telepon=f"62811{p:07d}",
                keterangan="",
            )
            for p in range(PHONES)
            for n in range(PER_PHONE)
        ]
        db.session.execute(insert(PesanMasuk.__table__), rows)
        db.session.commit()


def plan(statement):
    """The database's plan of a statement, as lines of text."""
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "sqlite":
        return [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    connection.exec_driver_sql("ANALYZE TABLE tb_in")
    # A literal '%' of the LIKE: pymysql formats the statement when given parameters.
    rows = connection.exec_driver_sql("EXPLAIN " + sql.replace("%", "%%"), ()).mappings()
    return [f"{row['type']} {row['key']} {row['Extra'] or ''}" for row in rows]


def test_the_queries_are_found_through_indexes(app, client):
    send_wa(client, "#request lampu aula mati")
    fill_tb_in(app)
    with app.app_context():
        report = service.find_report("BRT2409001")
        expected = {
            "by_number": "ix_tb_in_id_track",
            "naming": "ix_tb_in_telepon",
            "from_reporter": "ix_tb_in_telepon",
        }
        for name, statement in conversation.queries(report).items():
            lines = plan(statement.limit(conversation.LIMIT))
            assert len(lines) == 1, (name, lines)
            assert expected[name] in lines[0], (name, lines)
            # Neither the whole table read nor the reporter's rows sorted: read newest first.
            assert not re.search(r"^(SCAN|ALL)\b|filesort", lines[0]), (name, lines)
        db.session.execute(text("DELETE FROM tb_in"))
        db.session.commit()
