"""Adopting a database of the PHP system: the phone numbers of tb_pegawai and tb_admin in
the one form WhatsApp senders arrive in (62…), so that old pegawai and petugas are
recognised.

The PHP panel stored numbers as typed (082124603757); messages are matched on the exact
canonical number, so without this every TBO is refused and every pegawai answered as a
guest. plan() decides from the rows alone, write() carries a plan out, report_lines()
tells the office admin what happened.

Two people whose numbers become the same are not merged and not changed: which of them
owns the number is the admin's call, made in the panel (whose forms refuse a duplicate).
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import column, inspect, select, table, update

from . import audit
from .database import core_execute, run_in_transaction
from .extensions import db
from .phone import EMPTY, UNREADABLE, normalize_phone, phone_problem

# Table -> (its key column, its name column, the audit log's name for it). In the order
# of the report.
TABLES = {
    "tb_pegawai": ("id_pegawai", "nama_pegawai", "pegawai"),
    "tb_admin": ("id_admin", "nama_admin", "admin"),
}


@dataclass(frozen=True)
class Person:
    table: str
    key: str
    nama: str
    telepon: str
    # In tb_admin only a TBO needs a number (an Administrator or Staf may have none).
    required: bool = True
    level: str = ""


@dataclass(frozen=True)
class Change:
    person: Person
    canonical: str


@dataclass(frozen=True)
class Clash:
    """People of one table whose numbers are, or would become, the same."""

    table: str
    canonical: str
    people: tuple


@dataclass(frozen=True)
class Plan:
    tables: tuple  # the tables that were read (an empty database has none)
    changes: tuple
    unreadable: tuple  # Person, with an empty or unreadable number
    clashes: tuple

    def changed_in(self, name):
        return sum(1 for change in self.changes if change.person.table == name)


def plan(tables, people):
    """What to change so that every person of `people` (read from `tables`) is found by
    the number WhatsApp gives: pure, for a table of cases."""
    groups = defaultdict(list)
    unreadable = []
    for person in people:
        problem = phone_problem(person.telepon, person.required)
        if problem in (EMPTY, UNREADABLE):
            unreadable.append(person)
        elif person.telepon.strip():
            groups[(person.table, normalize_phone(person.telepon))].append(person)
    changes, clashes = [], []
    for (name, canonical), group in groups.items():
        if len(group) > 1:
            clashes.append(Clash(name, canonical, tuple(sorted(group, key=lambda p: p.key))))
        elif group[0].telepon != canonical:
            changes.append(Change(group[0], canonical))
    order = {name: index for index, name in enumerate(TABLES)}
    return Plan(
        tables=tuple(name for name in TABLES if name in tables),
        changes=tuple(sorted(changes, key=lambda c: (order[c.person.table], c.person.key))),
        unreadable=tuple(sorted(unreadable, key=lambda p: (order[p.table], p.key))),
        clashes=tuple(sorted(clashes, key=lambda c: (order[c.table], c.canonical))),
    )


def _table(name):
    key, nama, _objek = TABLES[name]
    columns = [column(key), column(nama), column("telepon")]
    if name == "tb_admin":
        columns.append(column("level"))
    return table(name, *columns)


def read_people():
    """(tables present, every Person in them), with plain Core on the columns the PHP
    system already had: a dry run reads a database no migration has touched."""
    present = set(inspect(db.session.connection()).get_table_names())
    tables = [name for name in TABLES if name in present]
    people = []
    for name in tables:
        key, nama, _objek = TABLES[name]
        source = _table(name)
        for row in core_execute(select(source)).mappings():
            level = (row.get("level") or "").strip()
            people.append(
                Person(
                    table=name,
                    key=row[key],
                    nama=row[nama] or "",
                    telepon=row["telepon"] or "",
                    required=name == "tb_pegawai" or level.upper() == "TBO",
                    level=level,
                )
            )
    return tables, people


def write(adoption):
    """Carry out the changes of a plan, each with an audit entry. A row whose number
    changed since it was read is left as it is now."""
    done = []
    for change in adoption.changes:
        person = change.person
        key, _nama, objek = TABLES[person.table]
        source = _table(person.table)
        result = core_execute(
            update(source)
            .where(source.c[key] == person.key, source.c.telepon == person.telepon)
            .values(telepon=change.canonical)
        )
        if result.rowcount == 1:
            done.append(change)
            audit.record(
                "normalisasi nomor",
                objek,
                person.key,
                {"telepon": person.telepon},
                {"telepon": change.canonical},
                actor="sistem",
            )
    return done


def normalise_phones(dry_run=False):
    """Plan and (unless dry_run) write in one transaction; returns the plan, with only
    the changes actually made when writing."""
    if dry_run:
        try:
            return plan(*read_people())
        finally:
            db.session.rollback()

    def work():
        adoption = plan(*read_people())
        done = write(adoption)
        return Plan(adoption.tables, tuple(done), adoption.unreadable, adoption.clashes)

    return run_in_transaction(work)


def _who(person):
    level = f", {person.level}" if person.table == "tb_admin" and person.level else ""
    return f"{person.key} {person.nama}{level}"


def _shown(telepon):
    return f'"{telepon}"' if telepon.strip() else EMPTY


def report_lines(adoption, dry_run=False):
    """The report of a plan for the office admin, in Indonesian."""
    verb = "akan diubah" if dry_run else "diubah"
    lines = ["Nomor telepon pegawai dan petugas (bentuk 62…, seperti nomor pengirim WhatsApp):"]
    if not adoption.tables:
        lines.append("  tabel tb_pegawai dan tb_admin belum ada: tidak ada nomor untuk diperiksa.")
    for name in adoption.tables:
        lines.append(f"  {name}: {adoption.changed_in(name)} nomor {verb}")
    if adoption.unreadable:
        lines.append(
            "Nomor tidak terbaca (dibiarkan; orang ini tidak dikenali di WhatsApp sampai "
            "nomornya diperbaiki di panel, Data Pegawai / Data Admin):"
        )
        for person in adoption.unreadable:
            lines.append(f"  {person.table} {_who(person)}: {_shown(person.telepon)}")
    if adoption.clashes:
        lines.append(
            "Nomor yang sama dipakai lebih dari satu orang (tidak diubah dan tidak digabung; "
            "tentukan pemiliknya di panel dan ubah nomor yang lain):"
        )
        for clash in adoption.clashes:
            people = ", ".join(f"{_who(p)} ({_shown(p.telepon)})" for p in clash.people)
            lines.append(f"  {clash.table} {clash.canonical}: {people}")
    if dry_run:
        lines.append("Uji coba (--dry-run): tidak ada yang ditulis.")
    return lines
