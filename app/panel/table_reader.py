"""Reading an uploaded CSV or XLSX table row by row, stopping as soon as it is too large.

A small file can still hold a huge table (an XLSX of a million equal rows compresses to a
few hundred kB, a sheet can claim a dimension of a million rows it does not have), so
nothing here reads more than the row limit allows: XLSX through openpyxl's read-only
mode, CSV as a text stream.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain

from openpyxl import load_workbook

# The sheet's XML and shared strings, as the ZIP declares them (zipfile never reads past the
# declared size): a bound on the work before any row is parsed.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Columns beyond these are never ours; a row cannot make us build 16,384 cells.
MAX_COLUMNS = 64


class Unreadable(ValueError):
    """The file is not a table we can read, or is larger than allowed; the text says why."""


@dataclass
class Table:
    columns: list
    records: list  # (row number in the file, {column title: text}) per data row


def read(filename, stream, max_rows):
    """The table in `stream` (CSV or XLSX by the file's name), at most `max_rows` data rows.

    Empty rows are skipped but counted against twice the limit, so a sheet of blank rows
    ends the reading too."""
    rows = _xlsx_rows(stream) if filename.lower().endswith(".xlsx") else _csv_rows(stream)
    too_many = f"Berkas berisi lebih dari {max_rows} baris. Bagi menjadi beberapa berkas."
    columns, records = None, []
    try:
        for scanned, row in enumerate(rows):
            if scanned > 2 * max_rows:
                raise Unreadable(too_many)
            values = [text(value) for value in row]
            if not any(values):
                continue
            if columns is None:
                columns = values
                continue
            records.append(
                (scanned + 1, {title: value for title, value in zip(columns, values, strict=False) if title})
            )
            if len(records) > max_rows:
                raise Unreadable(too_many)
    except Unreadable:
        raise
    except Exception as error:  # openpyxl, zipfile and csv raise many kinds; all mean "cannot read"
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


def _xlsx_rows(stream):
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise Unreadable(
                f"Isi berkas XLSX terlalu besar (lebih dari {MAX_UNPACKED_BYTES // 2**20} MB setelah dibuka)."
            )
        stream.seek(0)
        book = load_workbook(stream, read_only=True, data_only=True)
    except Unreadable:
        raise
    except Exception as error:
        raise Unreadable(f"Berkas tidak dapat dibaca: {error}") from None
    sheet = book.worksheets[0]
    # The stored dimension may lie (A1:H1048576 with two rows): openpyxl would pad up to it.
    sheet.reset_dimensions()
    try:
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        book.close()


def _csv_rows(stream):
    lines = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    first = lines.readline()
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(chain([first], lines), delimiter=separator)
    finally:
        lines.detach()
