"""adoption.plan and report_lines: which stored numbers change, which are listed, and what
the office admin reads."""

import pytest

from app.adoption import Change, Clash, Person, Plan, plan, report_lines
from app.phone import EMPTY, NOT_CANONICAL, UNREADABLE, phone_problem, typed_number

TABLES = ("tb_pegawai", "tb_admin")


def pegawai(key, telepon, nama="X"):
    return Person("tb_pegawai", key, nama, telepon)


def admin(key, telepon, level="TBO", nama="Y"):
    return Person("tb_admin", key, nama, telepon, required=level == "TBO", level=level)


@pytest.mark.parametrize(
    ("people", "changes", "unreadable", "clashes"),
    [
        # the PHP panel's forms of one number
        ([pegawai("P1", "082111476069")], [("P1", "6282111476069")], [], []),
        ([pegawai("P1", "0821-1147-6069")], [("P1", "6282111476069")], [], []),
        ([pegawai("P1", "+62 821 1147 6069")], [("P1", "6282111476069")], [], []),
        ([pegawai("P1", " 82111476069 ")], [("P1", "6282111476069")], [], []),
        # already canonical: nothing to do, so a second run changes nothing
        ([pegawai("P1", "6282111476069")], [], [], []),
        # unreadable or empty: left as it is, listed
        ([pegawai("P1", "belum ada")], [], ["P1"], []),
        ([pegawai("P1", "123")], [], ["P1"], []),
        ([pegawai("P1", "")], [], ["P1"], []),
        # an Administrator or Staf needs no number; a TBO does
        ([admin("A1", "", level="Administrator")], [], [], []),
        ([admin("A1", "", level="Staf")], [], [], []),
        ([admin("A1", "")], [], ["A1"], []),
        ([admin("A1", "08998848947")], [("A1", "628998848947")], [], []),
        # two people whose numbers become the same: both listed, neither changed
        (
            [pegawai("P1", "081234567890"), pegawai("P2", "0812-3456-7890")],
            [],
            [],
            [("6281234567890", ["P1", "P2"])],
        ),
        # ... also when one of them already holds the canonical form
        (
            [pegawai("P2", "6281234567890"), pegawai("P1", "081234567890")],
            [],
            [],
            [("6281234567890", ["P1", "P2"])],
        ),
        # ... and when both already hold it (the same number twice)
        (
            [admin("A1", "6281234567890"), admin("A2", "6281234567890")],
            [],
            [],
            [("6281234567890", ["A1", "A2"])],
        ),
        # a pegawai who is also a petugas keeps one number in each table: no clash
        (
            [pegawai("P1", "082124603757"), admin("A4", "082124603757")],
            [("P1", "6282124603757"), ("A4", "6282124603757")],
            [],
            [],
        ),
    ],
)
def test_plan(people, changes, unreadable, clashes):
    result = plan(TABLES, people)
    assert [(c.person.key, c.canonical) for c in result.changes] == changes
    assert [p.key for p in result.unreadable] == unreadable
    assert [(c.canonical, [p.key for p in c.people]) for c in result.clashes] == clashes


def test_plan_lists_pegawai_before_admins_and_by_id():
    people = [admin("A2", "0811111111"), pegawai("P2", "0822222222"), pegawai("P1", "0833333333")]
    assert [c.person.key for c in plan(TABLES, people).changes] == ["P1", "P2", "A2"]


def test_plan_reports_only_the_tables_read():
    assert plan(("tb_admin",), []).tables == ("tb_admin",)
    assert plan((), []).tables == ()


def _sample():
    p1 = pegawai("PGW1", "082111476069", "Marta")
    bad = pegawai("PGW9", "belum ada", "Budi")
    tbo = admin("ADM07", "", nama="Joko")
    a, b = pegawai("PGW4", "081234567890", "Ani"), pegawai("PGW5", "0812-3456-7890", "Ani S")
    return Plan(
        tables=TABLES,
        changes=(Change(p1, "6282111476069"),),
        unreadable=(bad, tbo),
        clashes=(Clash("tb_pegawai", "6281234567890", (a, b)),),
    )


def test_the_report_says_what_changed_and_what_the_admin_must_decide():
    lines = report_lines(_sample())
    assert "  tb_pegawai: 1 nomor diubah" in lines
    assert "  tb_admin: 0 nomor diubah" in lines
    assert '  tb_pegawai PGW9 Budi: "belum ada"' in lines
    assert "  tb_admin ADM07 Joko, TBO: kosong" in lines
    assert '  tb_pegawai 6281234567890: PGW4 Ani ("081234567890"), PGW5 Ani S ("0812-3456-7890")' in lines
    assert any("tidak digabung" in line for line in lines)
    assert not any("--dry-run" in line for line in lines)


def test_the_dry_run_report_says_nothing_was_written():
    lines = report_lines(_sample(), dry_run=True)
    assert "  tb_pegawai: 1 nomor akan diubah" in lines
    assert lines[-1] == "Uji coba (--dry-run): tidak ada yang ditulis."


def test_an_empty_database_has_nothing_to_check():
    assert any("belum ada" in line for line in report_lines(plan((), [])))


@pytest.mark.parametrize(
    ("stored", "required", "problem"),
    [
        ("6282111476069", True, None),
        ("082111476069", True, NOT_CANONICAL),
        ("62 821 1147 6069", True, NOT_CANONICAL),
        ("abc", True, UNREADABLE),
        ("", True, EMPTY),
        ("  ", True, EMPTY),
        ("", False, None),
        (None, False, None),
        ("abc", False, UNREADABLE),
    ],
)
def test_phone_problem(stored, required, problem):
    assert phone_problem(stored, required) == problem


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("0821-1147-6069", "6282111476069"),
        ("+62 821 1147 6069", "6282111476069"),
        ("(0821) 1147.6069", "6282111476069"),
        ("0821", None),  # part of a number: searched as text only
        ("Marta", None),
        ("BRT2409001", None),
        ("", None),
    ],
)
def test_typed_number(typed, canonical):
    assert typed_number(typed) == canonical
