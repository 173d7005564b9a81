"""Row counts and checksums that mean the same whichever database kind holds the rows.

A row's digest is the SHA-256 of its values in canonical text form, by column name; a
table's checksum is the sum of its rows' digests modulo 2**256, so it can be computed while
streaming, in any order (MariaDB and SQLite sort text keys differently), from a database
or from a dump file alike.
"""

import datetime
import decimal
import hashlib
import json
import re

from sqlalchemy import MetaData, Table, inspect, select, types

MODULUS = 2**256
# Column kinds whose values need a canonical form beyond str(): dates and times print
# their fraction of a second only when it is not zero; a float as a number, not as the
# text a dump wrote; a binary value as bytes even when a dump wrote it as ''.
DATETIME, TIME, FLOAT, BINARY, OTHER = "datetime", "time", "float", "binary", "other"
_FRACTION = re.compile(r"^(.*\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?$")


def column_kind(sql_type):
    if isinstance(sql_type, types.DateTime):
        return DATETIME
    if isinstance(sql_type, types.Time):
        return TIME
    if isinstance(sql_type, types.Float):
        return FLOAT
    if isinstance(sql_type, types._Binary):
        return BINARY
    return OTHER


def canonical(value, kind=OTHER):
    """The text form of one value: equal for equal values read from any kind or a dump."""
    if value is None:
        return None
    if kind in (DATETIME, TIME) and not isinstance(value, (int, float, decimal.Decimal)):
        text = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else str(value)
        match = _FRACTION.match(text)
        return f"{match.group(1)}.{(match.group(2) or '').ljust(6, '0')}" if match else text
    if kind == BINARY or isinstance(value, (bytes, bytearray, memoryview)):
        data = value.encode() if isinstance(value, str) else bytes(value)
        return "0x" + data.hex()
    if kind == FLOAT:
        return repr(float(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def row_digest(values):
    """values: {column: canonical text}."""
    text = json.dumps(sorted(values.items()), ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), "big")


class TableSum:
    def __init__(self):
        self.rows = 0
        self.total = 0

    def add(self, values):
        self.rows += 1
        self.total = (self.total + row_digest(values)) % MODULUS

    def as_dict(self):
        return {"rows": self.rows, "checksum": f"{self.total:064x}"}


def reflect(connection):
    """Every table of the database as it is (tables the app does not know included)."""
    metadata = MetaData()
    names = inspect(connection).get_table_names()
    return [Table(name, metadata, autoload_with=connection) for name in sorted(names)]


def kinds(table):
    return {column.name: column_kind(column.type) for column in table.columns}


def sum_table(connection, table):
    kind_of = kinds(table)
    total = TableSum()
    result = connection.execution_options(stream_results=True, yield_per=1000).execute(select(table))
    for row in result.mappings():
        total.add({name: canonical(value, kind_of[name]) for name, value in row.items()})
    return total


def sum_database(connection):
    """{table: {"rows": n, "checksum": hex}} of every table, read in the caller's transaction."""
    return {table.name: sum_table(connection, table).as_dict() for table in reflect(connection)}
