"""The portable dump: every table as JSON lines, read and written through SQLAlchemy.

It restores into SQLite or MariaDB alike (the schema comes from the migrations, the rows
from here), so it is the way to move between kinds, and the MariaDB backup where the
`mysqldump` client is not installed. Rows stream both ways: a table never sits in memory.

A table's file starts with {"columns": [...]} and then has one JSON list per row. Values
JSON has no type for are tagged objects ({"dt": iso} ...); a plain value is never an
object, so the tags cannot be mistaken for data.
"""

import base64
import datetime
import decimal
import json

from sqlalchemy import MetaData, select, text

from .checksum import TableSum, canonical, kinds

BATCH = 1000
_ENCODERS = [
    (datetime.datetime, "dt", lambda value: value.isoformat()),
    (datetime.date, "d", lambda value: value.isoformat()),
    (datetime.time, "t", lambda value: value.isoformat()),
    (datetime.timedelta, "td", lambda value: value.total_seconds()),
    (decimal.Decimal, "n", str),
    ((bytes, bytearray, memoryview), "b", lambda value: base64.b64encode(bytes(value)).decode()),
]
_DECODERS = {
    "dt": datetime.datetime.fromisoformat,
    "d": datetime.date.fromisoformat,
    "t": datetime.time.fromisoformat,
    "td": lambda seconds: datetime.timedelta(seconds=seconds),
    "n": decimal.Decimal,
    "b": base64.b64decode,
}


def encode(value):
    for kind, tag, convert in _ENCODERS:
        if isinstance(value, kind):
            return {tag: convert(value)}
    return value


def decode(value):
    if isinstance(value, dict):
        ((tag, payload),) = value.items()
        return _DECODERS[tag](payload)
    return value


def dump_table(connection, table, path):
    """Write one table's rows to `path`; returns their TableSum, taken from the same rows."""
    names = [column.name for column in table.columns]
    kind_of = kinds(table)
    total = TableSum()
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(select(table))
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as out:
        out.write(json.dumps({"columns": names}) + "\n")
        for row in result:
            total.add({name: canonical(value, kind_of[name]) for name, value in zip(names, row, strict=True)})
            out.write(json.dumps([encode(value) for value in row], ensure_ascii=False) + "\n")
    return total


def read_table(path):
    """(columns, rows) of a file written by dump_table; rows is a lazy iterator."""
    handle = open(path, encoding="utf-8", errors="surrogatepass")  # noqa: SIM115 (closed by rows)
    columns = json.loads(handle.readline())["columns"]

    def rows():
        with handle:
            for line in handle:
                yield [decode(value) for value in json.loads(line)]

    return columns, rows()


def sequences(connection):
    """{table: next AUTO_INCREMENT value}, so ids of deleted rows are not given out again."""
    if connection.dialect.name == "sqlite":
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).first()
        if not exists:
            return {}
        return {
            name: seq + 1 for name, seq in connection.exec_driver_sql("SELECT name, seq FROM sqlite_sequence")
        }
    found = connection.exec_driver_sql(
        "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT IS NOT NULL"
    )
    return {name: int(value) for name, value in found}


def set_sequences(connection, values):
    for name, value in values.items():
        if connection.dialect.name == "sqlite":
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            ).first()
            if exists:
                connection.execute(text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": name})
                connection.execute(
                    text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                    {"name": name, "seq": value - 1},
                )
        else:
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.exec_driver_sql(f"ALTER TABLE {quoted} AUTO_INCREMENT = {int(value)}")


def load(connection, tables):
    """Insert rows into the tables of the database behind `connection`, which the
    migrations created empty. `tables`: {name: (columns, rows)}. Parents before children,
    so foreign keys hold at every insert on SQLite; MariaDB skips the checks for speed."""
    metadata = MetaData()
    metadata.reflect(connection)
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
    missing = sorted(set(tables) - set(metadata.tables))
    if missing:
        raise ValueError(f"tabel tidak ada di skema tujuan: {', '.join(missing)}")
    for table in metadata.sorted_tables:
        if table.name not in tables:
            continue
        columns, rows = tables[table.name]
        unknown = sorted(set(columns) - set(table.columns.keys()))
        if unknown:
            raise ValueError(f"kolom {table.name} tidak ada di skema tujuan: {', '.join(unknown)}")
        batch = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) == BATCH:
                connection.execute(table.insert(), batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
