"""Reading an uploaded CSV or XLSX table row by row, stopping as soon as it is too large.

A small file can still hold a huge table (an XLSX of a million equal rows compresses to a
few hundred kB, one row of 3,000,000 cells to 92 kB, a CSV line of 2.4 million fields
fits in 5 MB), so nothing here reads more than the limits allow: XLSX through the
bounded parser of xlsx_stream, CSV as a text stream of records of bounded length.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain

from . import xlsx_stream
from .xlsx_stream import MAX_COLUMNS, Unreadable

__all__ = ["Table", "Unreadable", "read", "text"]

# A pegawai record is a few hundred characters; csv would split a 4.8 MB line of 2.4
# million fields whole before we could look at it.
MAX_RECORD_CHARS = 64 * 1024
# No pegawai field comes near this. One shared string of 11 MB referenced by every row
# would otherwise be copied into each row of the preview (hundreds of MB per upload).
MAX_CELL_CHARS = 1000


@dataclass
class Table:
    columns: list
    records: list  # (row number in the file, {column title: text}) per data row


def read(filename, stream, max_rows):
    """The table in `stream` (CSV or XLSX by the file's name), at most `max_rows` data rows.

    Empty rows are skipped but counted against twice the limit, so a sheet of blank rows
    ends the reading too."""
    rows = xlsx_stream.rows(stream) if filename.lower().endswith(".xlsx") else _csv_rows(stream)
    too_many = f"Berkas berisi lebih dari {max_rows} baris. Bagi menjadi beberapa berkas."
    columns, records = None, []
    try:
        for scanned, (number, row) in enumerate(rows):
            if scanned > 2 * max_rows:
                raise Unreadable(too_many)
            values = [text(value) for value in row[:MAX_COLUMNS]]
            if any(len(value) > MAX_CELL_CHARS for value in values):
                raise Unreadable(f"Baris {number} berisi sel lebih dari {MAX_CELL_CHARS} karakter.")
            if not any(values):
                continue
            if columns is None:
                columns = values
                continue
            values += [""] * (len(columns) - len(values))  # a short row's missing cells are empty
            records.append(
                (number, {title: value for title, value in zip(columns, values, strict=False) if title})
            )
            if len(records) > max_rows:
                raise Unreadable(too_many)
    except Unreadable:
        raise
    except Exception as error:  # expat, zipfile and csv raise many kinds; all mean "cannot read"
        raise Unreadable(f"Berkas tidak dapat dibaca: {error}") from None
    finally:
        rows.close()
    if columns is None:
        raise Unreadable("Berkas kosong.")
    return Table(columns=[title for title in columns if title], records=records)


def text(value):
    """A cell as the text a person typed: 81234 not 81234.0, a date as 2024-02-01."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(stream):
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    lines = _BoundedLines(text_stream)
    try:
        first = next(lines, "")
        separator = ";" if first.count(";") > first.count(",") else ","
        for number, record in enumerate(csv.reader(chain([first], lines), delimiter=separator), start=1):
            yield number, record
            lines.record_started()
    finally:
        text_stream.detach()


class _BoundedLines:
    """The lines of a text for csv.reader, refusing a record (one line, or several when a
    quoted field holds line breaks) longer than MAX_RECORD_CHARS."""

    def __init__(self, text_stream):
        self.text_stream, self.in_record, self.records = text_stream, 0, 1

    def record_started(self):
        self.in_record, self.records = 0, self.records + 1

    def __iter__(self):
        return self

    def __next__(self):
        line = self.text_stream.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.in_record += len(line)
        if self.in_record > MAX_RECORD_CHARS:
            raise Unreadable(f"Baris {self.records} berkas CSV lebih dari {MAX_RECORD_CHARS // 1024} kB.")
        return line
