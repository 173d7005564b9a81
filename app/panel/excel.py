"""Excel exports (pandas + XlsxWriter): formatted headers, real dates, widths, a summary.

Rows are read in chunks and written with XlsxWriter's constant-memory mode, so an export of
100,000 reports never holds them all at once.
"""

import io
from collections import Counter
from datetime import datetime

import pandas as pd
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import PesanMasuk
from ..reporting import categories
from . import report_list

CHUNK = 2000
REPORT_COLUMNS = [
    ("No", 6),
    ("Tanggal", 12),
    ("Jam", 10),
    ("Nomor Tracking", 16),
    ("Pelapor", 24),
    ("Telepon", 16),
    ("Profil", 18),
    ("Jenis", 10),
    ("Kategori", 16),
    ("Pesan", 60),
    ("Status", 13),
    ("PJ", 24),
    ("Durasi (jam)", 12),
    ("Nilai", 7),
    ("Dibaca", 8),
]
INCOMING_COLUMNS = [
    ("No", 6),
    ("Tanggal", 12),
    ("Jam", 10),
    ("Telepon", 16),
    ("Pesan", 60),
    ("Respon", 60),
    ("Nomor Tracking", 16),
    ("Keterangan", 28),
]


# Every cell's text came from outside (a WhatsApp message, a router's comment, a search):
# XlsxWriter would otherwise turn "=HYPERLINK(...)" into a live formula and "http://..."
# into a link. Every export builds its book here, so none can forget it.
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def workbook(buffer):
    """A pandas ExcelWriter on XlsxWriter in constant-memory mode, its book and our formats."""
    writer = pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": OPTIONS})
    book = writer.book
    formats = {
        "header": book.add_format(
            {
                "bold": True,
                "bg_color": "#0B4F8A",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"}),
        "time": book.add_format({"num_format": "hh:mm:ss"}),
        "wrap": book.add_format({"text_wrap": False}),
        "title": book.add_format({"bold": True, "font_size": 14}),
    }
    return writer, book, formats


def data_sheet(book, name, columns, formats):
    """A sheet with formatted headers, column widths and frozen header row."""
    sheet = book.add_worksheet(name)
    for index, (title, width) in enumerate(columns):
        sheet.set_column(index, index, width)
        sheet.write(0, index, title, formats["header"])
    sheet.freeze_panes(1, 0)
    return sheet


def write_row(sheet, row_number, values, formats):
    """Dates and times as real Excel dates, everything else as it is."""
    for col, value in enumerate(values):
        if isinstance(value, datetime):
            sheet.write_datetime(row_number, col, value.replace(tzinfo=None), formats["datetime"])
        elif hasattr(value, "hour") and not hasattr(value, "year"):
            sheet.write_datetime(
                row_number, col, datetime.combine(datetime(1899, 12, 31), value), formats["time"]
            )
        elif hasattr(value, "year"):
            sheet.write_datetime(
                row_number, col, datetime(value.year, value.month, value.day), formats["date"]
            )
        elif value is None:
            sheet.write_blank(row_number, col, None)
        else:
            sheet.write(row_number, col, value)


def summary_sheet(book, formats, title, lines):
    sheet = book.add_worksheet("Ringkasan")
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 18)
    sheet.write(0, 0, title, formats["title"])
    for index, (label, value) in enumerate(lines, start=2):
        sheet.write(index, 0, label)
        sheet.write(index, 1, value)


def reports(flt):
    """The reports list with its filters, as .xlsx bytes."""
    buffer = io.BytesIO()
    writer, book, formats = workbook(buffer)
    sheet = data_sheet(book, "Laporan", REPORT_COLUMNS, formats)
    statuses, total = Counter(), 0
    category_names = categories.names()
    for rows in _chunks(report_list.query(flt), flt.sort):
        names = report_list.pj_names([r.idm for r in rows])
        for report in rows:
            total += 1
            statuses[report.status] += 1
            write_row(
                sheet,
                total,
                [
                    total,
                    report.tanggal,
                    report.jam,
                    report.id_track,
                    report.nama_pelapor,
                    report.telepon,
                    report.profil_pelapor,
                    report.kategori,
                    category_names[report.id_bidang],
                    report.pesan,
                    report.status,
                    ", ".join(names.get(report.idm, [])),
                    round(report.durasi / 3600, 2) if report.durasi else None,
                    report.nilai or None,
                    "Ya" if report.tag else "Belum",
                ],
                formats,
            )
    now = clock.local_now()
    lines = [("Dibuat", now.strftime("%d/%m/%Y %H:%M")), ("Jumlah laporan", total)]
    lines += [(f"Status {status}", statuses.get(status, 0)) for status in report_list.STATUSES]
    lines += _filter_lines(flt, category_names)
    summary_sheet(book, formats, "Rekap Data Monitoring", lines)
    writer.close()
    return buffer.getvalue()


def _chunks(query, sort):
    """The query's rows, CHUNK at a time; by key where the order allows, else by offset."""
    offset, last = 0, None
    Monitoring = report_list.Monitoring
    while True:
        if last is not None and sort == "terbaru":
            page = query.where(Monitoring.idm < last)
        elif last is not None and sort == "terlama":
            page = query.where(Monitoring.idm > last)
        else:
            page = query.offset(offset)
        rows = db.session.execute(page.limit(CHUNK)).scalars().all()
        if rows:
            yield rows
        if len(rows) < CHUNK:
            return
        offset, last = offset + len(rows), rows[-1].idm
        db.session.expunge_all()


def _filter_lines(flt, category_names):
    lines = []
    for label, value in (
        ("Pencarian", flt.q),
        ("Filter status", flt.status),
        ("Filter kategori", None if flt.bidang is None else category_names[flt.bidang]),
        ("Dari tanggal", flt.dari),
        ("Sampai tanggal", flt.sampai),
        ("PJ", flt.petugas),
    ):
        if value:
            lines.append((label, str(value)))
    return lines


def incoming(q=""):
    buffer = io.BytesIO()
    writer, book, formats = workbook(buffer)
    sheet = data_sheet(book, "WA Masuk", INCOMING_COLUMNS, formats)
    total, last_id = 0, None
    while True:
        query = select(PesanMasuk).order_by(PesanMasuk.idn.desc()).limit(CHUNK)
        if q:
            query = query.where(_incoming_search(q))
        if last_id is not None:
            query = query.where(PesanMasuk.idn < last_id)
        rows = db.session.execute(query).scalars().all()
        for row in rows:
            total += 1
            write_row(
                sheet,
                total,
                [
                    total,
                    row.tanggal,
                    row.jam,
                    row.telepon,
                    row.pesan,
                    row.respon,
                    row.id_track,
                    row.keterangan,
                ],
                formats,
            )
        if len(rows) < CHUNK:
            break
        last_id = rows[-1].idn
        db.session.expunge_all()
    summary_sheet(
        book,
        formats,
        "Rekap Pesan WhatsApp Masuk",
        [("Dibuat", clock.local_now().strftime("%d/%m/%Y %H:%M")), ("Jumlah pesan", total)],
    )
    writer.close()
    return buffer.getvalue()


def _incoming_search(q):
    from sqlalchemy import or_

    like = f"%{q}%"
    return or_(PesanMasuk.pesan.like(like), PesanMasuk.telepon.like(like), PesanMasuk.id_track.like(like))
