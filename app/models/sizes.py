"""Every text stored fits its column, on SQLite as on MariaDB/MySQL.

MySQL refuses a value longer than its column (strict mode: "Data too long"), and the
webhook would answer 500 to the same message for ever while the provider retries it. So a
text too long for its column is cut, with a visible "…" at the end, wherever rows are
written: ORM rows by the mapper events below, Core inserts through fit_values(). SQLite
would take any length; the same cut applies there, so both databases keep the same text.

The limits are MySQL's: VARCHAR(n) counts characters; TEXT types count bytes (TEXT is
65,535 bytes, which is 16,383 four-byte emoji), so those are cut by UTF-8 bytes on a
character boundary.
"""

from functools import cache

from sqlalchemy import String, Text, event
from sqlalchemy.dialects import mysql

from ..extensions import db

ELLIPSIS = "…"
_MYSQL = mysql.dialect()
# Bytes of MySQL's TEXT types (Text without a length is TEXT).
TEXT_BYTES = {
    mysql.TINYTEXT: 255,
    mysql.MEDIUMTEXT: 16_777_215,
    mysql.LONGTEXT: 4_294_967_295,
}
DEFAULT_TEXT_BYTES = 65_535


def limit_of(column):
    """(limit, by_bytes) of a string column, or None for any other column."""
    if not isinstance(column.type, String):
        return None
    impl = column.type.dialect_impl(_MYSQL)
    for kind, size in TEXT_BYTES.items():
        if isinstance(impl, kind):
            return size, True
    if isinstance(impl, Text) or impl.length is None:
        return DEFAULT_TEXT_BYTES, True
    return impl.length, False


def cut(text, limit, by_bytes):
    """text itself when it fits, else its beginning with "…", fitting `limit` characters
    (or UTF-8 bytes when by_bytes)."""
    if not isinstance(text, str):
        return text
    if not by_bytes:
        return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
    # A character is at most 4 bytes: most texts are known to fit without encoding.
    if len(text) * 4 <= limit:
        return text
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    # Cutting the bytes may split a character; dropping the broken tail keeps the rest.
    return encoded[:room].decode("utf-8", errors="ignore") + ELLIPSIS


@cache
def _limits(table):
    """{column name: (limit, by_bytes)} of a table's string columns."""
    return {c.key: found for c in table.columns if (found := limit_of(c)) is not None}


def fit_values(table, values):
    """The values of a Core insert or update, each text cut to its column (a new dict)."""
    limits = _limits(table)
    return {k: cut(v, *limits[k]) if k in limits and isinstance(v, str) else v for k, v in values.items()}


@event.listens_for(db.Model, "before_insert", propagate=True)
@event.listens_for(db.Model, "before_update", propagate=True)
def _fit_row(_mapper, _connection, target):
    table = getattr(type(target), "__table__", None)
    if table is None:
        return
    for key, (limit, by_bytes) in _limits(table).items():
        value = target.__dict__.get(key)
        if isinstance(value, str):
            fitted = cut(value, limit, by_bytes)
            if fitted is not value:
                setattr(target, key, fitted)
