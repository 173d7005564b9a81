"""Reading back an export: the heading rows above the table, its header, its rows."""

import io

import openpyxl


def book_of(response):
    assert response.status_code == 200, response.status_code
    return openpyxl.load_workbook(io.BytesIO(response.data))


def table(sheet):
    """(heading lines, header, data rows as tuples) of an export's sheet: the header is
    the row that begins with "No"."""
    rows = list(sheet.iter_rows(values_only=True))
    at = next(index for index, row in enumerate(rows) if row[0] == "No")
    heading = [row[0] for row in rows[:at] if row[0] is not None]
    return heading, rows[at], rows[at + 1 :]
