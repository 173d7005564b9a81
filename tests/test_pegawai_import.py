"""The pegawai import reads only as much of an upload as its limits allow: 5 MB, 5000 rows."""

import io
import json
import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from app.extensions import db
from app.jobs import JOBS
from app.models import Pegawai
from app.panel import importer, table_reader
from tests import hostile_tables as hostile
from tests.hostile_tables import crafted_xlsx, numbers

TOO_MANY = "Berkas berisi lebih dari 5000 baris"


def upload(client, content, name):
    return client.post(
        "/pegawai/impor", data={"berkas": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def test_many_rows_small_on_disk_are_refused_at_the_limit(app, staf):
    content = crafted_xlsx(numbers(450_000), dimension="A1:B450001")
    assert len(content) < 100_000 and sum(hostile.unpacked_size(content).values()) > 11 * 2**20
    response = upload(staf, content, "banyak.xlsx")
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
    assert "terlalu besar (lebih dari 12 MB setelah dibuka)" in page


DOCTYPE = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    ("build", "name", "answer"),
    [
        # the attack of the report: one row of 3,000,000 cells, 92 kB packed (45 MB unpacked)
        (lambda: hostile.wide_row(3_000_000), "lebar.xlsx", "terlalu besar (lebih dari 12 MB"),
        (lambda: hostile.wide_row(700_000), "lebar.xlsx", "Baris 1 berisi lebih dari 16384 sel."),
        (lambda: hostile.many_shared_strings(1_000_000), "sst.xlsx", "terlalu besar (lebih dari 12 MB"),
        (lambda: hostile.many_shared_strings(600_000), "sst.xlsx", "terlalu banyak untuk 5000 baris"),
        (lambda: hostile.empty_rows(1_000_000), "kosong.xlsx", TOO_MANY),
        # found by the second attack run: 12.9 kB that became 4.3 GB of preview
        (lambda: hostile.one_long_shared_string(), "panjang.xlsx", "sel lebih dari 1000 karakter"),
        (lambda: hostile.wide_csv(2_400_000), "lebar.csv", "Baris 2 berkas CSV lebih dari 64 kB."),
        (lambda: b'nama,telepon\n"' + b"x\n" * 40_000 + b'"\n', "kutip.csv", "lebih dari 64 kB"),
        (
            lambda: crafted_xlsx((), replace={"xl/worksheets/sheet1.xml": [DOCTYPE.encode()]}),
            "dtd.xlsx",
            "DTD",
        ),
    ],
    ids=[
        "row-3M-cells",
        "row-700k-cells",
        "sst-1M",
        "sst-600k",
        "rows-1M-empty",
        "one-11MB-string-150-times",
        "csv-2.4M-columns",
        "csv-quoted-lines",
        "dtd",
    ],
)
def test_hostile_files_are_a_form_error(app, staf, build, name, answer):
    response = upload(staf, build(), name)
    assert response.status_code == 200
    assert answer in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Pegawai).count() == 3


def test_what_spreadsheet_programs_write_reads_as_typed(tmp_path):
    """Shared strings, a formula's cached value, dates in a date format, a gap between
    cells, a cell past column 64 and the 1904 date system, as XlsxWriter writes them."""
    path = tmp_path / "p.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet("Pegawai")
    book.add_worksheet("Lain").write(0, 0, "bukan ini")
    when = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["nama", "telepon", "tanggal", "", "jumlah"])
    sheet.write_string(1, 0, "Eko")
    sheet.write_number(1, 1, 6281299990000)
    sheet.write_datetime(1, 2, datetime(2024, 2, 1), when)
    sheet.write_formula(1, 4, "=1+1", None, 2)
    sheet.write_string(1, 70, "jauh")
    sheet.write_string(2, 0, " Fani ")
    sheet.write_number(2, 1, 1.5)
    book.close()
    table = table_reader.read("p.xlsx", io.BytesIO(path.read_bytes()), 10)
    assert table.columns == ["nama", "telepon", "tanggal", "jumlah"]
    assert table.records == [
        (2, {"nama": "Eko", "telepon": "6281299990000", "tanggal": "2024-02-01", "jumlah": "2"}),
        (3, {"nama": "Fani", "telepon": "1.5", "tanggal": "", "jumlah": ""}),
    ]


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


# --- previews waiting for their confirmation -------------------------------------------

GOOD_CSV = b"nama,telepon\nEko,081299990000\n"


def preview(client):
    page = upload(client, GOOD_CSV, "p.csv").get_data(as_text=True)
    return re.search(r"/pegawai/impor/([0-9a-f]{32})", page).group(1)


def previews(app):
    return sorted((Path(app.instance_path) / "imports").glob("**/*.json"))


def test_previews_never_confirmed_are_deleted_by_the_worker(app, staf):
    (job,) = [job for job in JOBS if job.id == "import-previews-purge"]
    old, fresh = preview(staf), preview(staf)
    (path_old,) = [path for path in previews(app) if path.stem == old]
    hour_ago = time.time() - importer.PREVIEW_MAX_AGE_SECONDS - 1
    os.utime(path_old, (hour_ago, hour_ago))
    with app.app_context():
        assert job.func(app.config) == 1
    assert [path.stem for path in previews(app)] == [fresh]
    assert "tidak ditemukan" in staf.post(f"/pegawai/impor/{old}", follow_redirects=True).get_data(
        as_text=True
    )
    staf.post(f"/pegawai/impor/{fresh}")
    with app.app_context():
        assert db.session.query(Pegawai).count() == 4


def test_previews_are_capped_per_user_and_overall(app, staf, monkeypatch):
    tokens = [preview(staf) for _ in range(importer.MAX_PREVIEWS_PER_USER + 2)]
    # each user keeps their newest five: the two oldest made room
    assert {path.stem for path in previews(app)} == set(tokens[2:])
    monkeypatch.setattr(importer, "MAX_PREVIEWS", importer.MAX_PREVIEWS_PER_USER)
    staf.post("/logout")
    other = app.test_client()
    assert other.post("/login", data={"username": "admin", "password": "sarpras123"}).status_code == 302
    page = upload(other, GOOD_CSV, "p.csv").get_data(as_text=True)
    assert "Terlalu banyak pratinjau impor" in page and "/pegawai/impor/" not in page.split("<form")[-1]
    assert len(previews(app)) == importer.MAX_PREVIEWS_PER_USER


@pytest.mark.parametrize("forged", ["..", "secret_key", "notauuid", "A" * 32, "0" * 31 + "/"])
def test_a_forged_preview_id_reads_no_file(app, staf, forged):
    # Files a path-like or non-uuid id could name: none may be read (old code read imports/<id>.json).
    imports = Path(app.instance_path) / "imports"
    imports.mkdir(exist_ok=True)
    planted = [
        {"baris": 2, "data": {**FORGED_ROW, "id_pegawai": "PGWFORGED"}, "errors": {}},
    ]
    for name in ("notauuid", "A" * 32, "secret_key"):
        (imports / f"{name}.json").write_text(json.dumps(planted))
    response = staf.post(f"/pegawai/impor/{forged}", follow_redirects=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Pratinjau tidak ditemukan" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Pegawai).count() == 3


def test_a_traversing_preview_id_is_not_routed(staf):
    assert staf.post("/pegawai/impor/..%2fsecret_key").status_code == 404
    assert staf.post("/pegawai/impor/%2e%2e%2f%2e%2e%2fsecret_key").status_code == 404


FORGED_ROW = {
    "nama_pegawai": "Palsu",
    "telepon": "6281299998888",
    "email": "",
    "jurusan": "",
    "bagian": "",
    "status": "Aktif",
    "keterangan": "",
}


def test_the_save_checks_again_what_was_taken_since_the_preview(app, staf):
    """The ids and numbers of tb_pegawai are read once per request (not two queries a
    row): what another admin saved between preview and save still counts, and so do the
    rows of the file before it."""
    csv = "id_pegawai,nama,telepon\nPGW9900001,Ani,081277770001\nPGW9900002,Budi,081277770002\n"
    csv += "PGW9900003,Cici,081277770003\n"
    page = upload(staf, csv.encode(), "pegawai.csv").get_data(as_text=True)
    assert "3 baris siap, 0 baris bermasalah" in page
    token = re.search(r"/pegawai/impor/([0-9a-f]+)", page).group(1)
    with app.app_context():
        # Meanwhile: Budi's number and Cici's id (in lower case) are taken.
        db.session.add(Pegawai(id_pegawai="PGW9900099", nama_pegawai="Lain", telepon="6281277770002"))
        db.session.add(Pegawai(id_pegawai="pgw9900003", nama_pegawai="Lain Lagi", telepon="6281277770099"))
        db.session.commit()
    staf.post(f"/pegawai/impor/{token}")
    with app.app_context():
        names = {p.nama_pegawai for p in db.session.query(Pegawai).filter(Pegawai.id_pegawai.like("PGW99%"))}
        assert "Ani" in names and "Budi" not in names and "Cici" not in names
