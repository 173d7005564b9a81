"""The pegawai import reads only as much of an upload as its limits allow: 5 MB, 5000 rows."""

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from app.extensions import db
from app.models import Pegawai
from app.panel import importer, table_reader

TOO_MANY = "Berkas berisi lebih dari 5000 baris"


@pytest.fixture
def staf(client):
    response = client.post("/login", data={"username": "nikolai", "password": "sarpras123"})
    assert response.status_code == 302
    return client


def upload(client, content, name):
    return client.post(
        "/pegawai/impor", data={"berkas": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def crafted_xlsx(rows, dimension="A1:B2"):
    """An .xlsx whose first sheet holds `rows` (XML strings, streamed into the ZIP) after a
    nama/telepon header, and claims `dimension`."""
    book = openpyxl.Workbook()
    book.active.append(["nama", "telepon"])
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
                continue
            with target.open(item.filename, "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    + f'<dimension ref="{dimension}"/><sheetData>'.encode()
                    + b'<row><c t="inlineStr"><is><t>nama</t></is></c>'
                    b'<c t="inlineStr"><is><t>telepon</t></is></c></row>'
                )
                for row in rows:
                    sheet.write(row.encode())
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def numbers(count):
    return ("<row><c><v>1</v></c></row>" for _ in range(count))


def test_a_million_rows_small_on_disk_is_refused_at_the_limit(app, staf):
    content = crafted_xlsx(numbers(1_000_000), dimension="A1:B1000001")
    assert len(content) < 300_000
    response = upload(staf, content, "sejuta.xlsx")
    assert response.status_code == 200
    assert TOO_MANY in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Pegawai).count() == 3


def test_reading_stops_at_the_limit_before_the_end_of_the_file(staf):
    # What follows row 6000 is broken: read to the end, the file would be "unreadable".
    broken = "<row><c><v>1</oops>"
    content = crafted_xlsx(list(numbers(6000)) + [broken])
    page = upload(staf, content, "rusak.xlsx").get_data(as_text=True)
    assert TOO_MANY in page and "tidak dapat dibaca" not in page
    header = "nama,telepon\n" + "Ani,0812\n" * 6000
    oversized_field = '"' + "x" * 200_000 + '"\n'
    page = upload(staf, (header + oversized_field).encode(), "rusak.csv").get_data(as_text=True)
    assert TOO_MANY in page and "tidak dapat dibaca" not in page


def test_a_sheet_that_unpacks_too_large_is_refused_before_reading(staf):
    wide = '<row><c t="inlineStr"><is><t>Nama yang cukup panjang sekali</t></is></c><c><v>1</v></c></row>'
    content = crafted_xlsx(wide for _ in range(1_000_000))
    assert len(content) < 1_000_000
    page = upload(staf, content, "bom.xlsx").get_data(as_text=True)
    assert "terlalu besar (lebih dari 50 MB setelah dibuka)" in page


def test_a_dimension_that_lies_does_not_make_rows(staf):
    rows = ['<row><c t="inlineStr"><is><t>Eko</t></is></c><c><v>6281299990000</v></c></row>']
    page = upload(staf, crafted_xlsx(rows, dimension="A1:XFD1048576"), "p.xlsx").get_data(as_text=True)
    assert "1 baris siap, 0 baris bermasalah" in page and "6281299990000" in page


def test_a_file_over_5_mb_is_a_form_error_and_a_larger_body_a_413_page(staf):
    over = b"nama,telepon\n" + b"x" * (importer.MAX_BYTES)
    page = upload(staf, over, "besar.csv").get_data(as_text=True)
    assert "Berkas lebih dari 5 MB." in page
    response = upload(staf, b"x" * (6 * 2**20), "besar.csv")
    assert response.status_code == 413
    assert "Paling besar 5 MB" in response.get_data(as_text=True)
    # Every other form keeps the application's limit.
    response = staf.post("/pegawai/baru", data={"keterangan": "x" * (3 * 2**20)})
    assert response.status_code == 413 and "Paling besar 2 MB" in response.get_data(as_text=True)


def test_blank_rows_are_skipped_and_rows_keep_their_number_in_the_file(app, staf):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nama", "telepon", "tanggal"])
    sheet.append(["Eko", 81299990000, None])
    sheet.append([None, None, None])
    sheet.append(["Fani", "bukan nomor", None])
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(staf, buffer.getvalue(), "p.xlsx").get_data(as_text=True)
    assert "1 baris siap, 1 baris bermasalah" in page
    assert re.search(r"<td>4</td><td>[^<]*</td><td>Fani</td>", page)
    assert "6281299990000" in page


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (81299990000, "81299990000"),
        (81299990000.0, "81299990000"),
        (1.5, "1.5"),
        ("  Ani ", "Ani"),
        (datetime(2024, 2, 1), "2024-02-01"),
        (datetime(2024, 2, 1, 7, 30), "2024-02-01 07:30:00"),
        (date(2024, 2, 1), "2024-02-01"),
    ],
)
def test_cells_become_the_text_a_person_typed(value, text):
    assert table_reader.text(value) == text
