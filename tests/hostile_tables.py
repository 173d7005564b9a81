"""Uploads built to tie up the pegawai import: small files holding huge tables.

Shared by tests/test_pegawai_import.py (each must be a quick form error) and
scripts/bench_import.py (how quick)."""

import io
import zipfile

import openpyxl

SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER = b'<row><c t="inlineStr"><is><t>nama</t></is></c><c t="inlineStr"><is><t>telepon</t></is></c></row>'

SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def crafted_xlsx(rows, dimension="A1:B2", header=HEADER, replace=None):
    """An .xlsx whose first sheet holds `header` then `rows` (XML strings, streamed into the
    ZIP) and claims `dimension`; `replace` maps other member names to byte chunks."""
    book = openpyxl.Workbook()
    book.active.append(["nama", "telepon"])
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    replace = dict(replace or {})
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in replace:
                with target.open(item.filename, "w") as member:
                    for chunk in replace.pop(item.filename):
                        member.write(chunk)
                continue
            if item.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" in replace:
                target.writestr(item, source.read(item).replace(b"</Types>", SHARED_STRINGS_TYPE))
                continue
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
                continue
            with target.open(item.filename, "w") as sheet:
                sheet.write(SHEET_NS + f'<dimension ref="{dimension}"/><sheetData>'.encode() + header)
                for row in rows:
                    sheet.write(row.encode())
                sheet.write(b"</sheetData></worksheet>")
        for name, chunks in replace.items():
            with target.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()


def numbers(count):
    return ("<row><c><v>1</v></c></row>" for _ in range(count))


def wide_row(cells=3_000_000):
    """One row of `cells` numbers as the sheet's first row (92 kB for 3,000,000)."""
    return crafted_xlsx((), header=b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>")


def empty_rows(count=1_000_000):
    return crafted_xlsx("<row/>" for _ in range(count))


def many_shared_strings(count=1_000_000):
    """A sheet of two rows whose shared-strings table holds `count` entries."""
    return _with_shared_strings(
        (b"<si><t>x</t></si>" for _ in range(count)),
        ['<row><c t="s"><v>0</v></c><c><v>81299990000</v></c></row>'],
    )


def one_long_shared_string(chars=11_000_000, rows=150):
    """Every row names one shared string of `chars` characters (11 MB unpacked: under the
    cap), so a reader that copies cells would hold `rows` times that."""
    strings = (b"<si><t>", b"A" * chars, b"</t></si>")
    return _with_shared_strings(
        strings, (f'<row><c t="s"><v>0</v></c><c><v>812000{n:05d}</v></c></row>' for n in range(rows))
    )


def _with_shared_strings(entries, rows):
    strings = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    strings += entries
    strings.append(b"</sst>")
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        b'<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    return crafted_xlsx(rows, replace={"xl/sharedStrings.xml": strings, "xl/_rels/workbook.xml.rels": [rels]})


def wide_csv(columns=2_400_000):
    return b"nama,telepon\n" + b"1," * columns + b"1\n"


def realistic_xlsx(rows=5000):
    """A valid pegawai sheet as a person would make it: 8 columns, `rows` rows, a date."""
    from datetime import date

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID Pegawai", "Nama", "Telepon", "Email", "Jurusan", "Bagian", "Status", "Tanggal"])
    for number in range(rows):
        sheet.append(
            [
                f"PGW{number:05d}",
                f"Pegawai Nomor {number} bin Fulan",
                6281200000000 + number,
                f"pegawai{number}@contoh.ac.id",
                "Teknik Informatika",
                "Biro Umum dan Keuangan",
                "Aktif",
                date(2024, 1, 1 + number % 28),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unpacked_size(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {item.filename: item.file_size for item in archive.infolist()}
