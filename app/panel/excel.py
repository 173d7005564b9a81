"""Excel exports (pandas + XlsxWriter): formatted headers, real dates, widths, a summary.

Rows are read in chunks and written with XlsxWriter's constant-memory mode, so an export of
100,000 reports never holds them all at once.
"""

import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..messaging.attachments import upload_path
from ..models import PesanMasuk
from ..reporting import categories
from ..reporting.dates import tanggal_panjang
from . import letterhead, report_list

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
    # The source's list shows these: the reply sent, the age (H0, H2) and the photo.
    ("TS", 6),
    ("Respon", 50),
    ("Gambar", 45),
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
        "subtitle": book.add_format({"bold": True, "font_size": 12}),
        "link": book.add_format({"font_color": "blue", "underline": 1}),
    }
    return writer, book, formats


def heading(title, period):
    """The rows above an export's header: the letterhead's names (the print pages' kop),
    the export's title, and its period with the time it was made."""
    kop = letterhead.current()
    made = f"dibuat {tanggal_panjang(kop.printed)} pukul {kop.printed:%H:%M} {clock.zone_word(kop.printed)}"
    return [*kop.title_lines, title, f"{period} · {made}"]


def period_label(start, end):
    if start and end:
        return f"Periode {tanggal_panjang(start)} s.d. {tanggal_panjang(end)}"
    if start:
        return f"Periode sejak {tanggal_panjang(start)}"
    if end:
        return f"Periode sampai {tanggal_panjang(end)}"
    return "Semua tanggal"


@dataclass(frozen=True)
class Link:
    """A cell that opens `url`: written as a hyperlink, never as a formula."""

    url: str


# Excel's own limits: a longer address or more links in one sheet are dropped by
# XlsxWriter with a warning per cell; past them the address is written as plain text.
MAX_LINKS = 65_530
MAX_URL = 2079


class DataSheet:
    """A sheet: the heading rows, the formatted header row (frozen), then rows appended
    in order, as XlsxWriter's constant-memory mode needs."""

    def __init__(self, book, name, columns, formats, lines=()):
        self.sheet, self.formats, self.links = book.add_worksheet(name), formats, 0
        for index, (_title, width) in enumerate(columns):
            self.sheet.set_column(index, index, width)
        for row, line in enumerate(lines):
            self.sheet.write_string(row, 0, line, formats["title" if row == 0 else "subtitle"])
        header = len(lines) + 1 if lines else 0
        for index, (title, _width) in enumerate(columns):
            self.sheet.write_string(header, index, title, formats["header"])
        self.sheet.freeze_panes(header + 1, 0)
        self.next_row = header + 1

    def append(self, values):
        links = {col: value for col, value in enumerate(values) if isinstance(value, Link)}
        write_row(
            self.sheet,
            self.next_row,
            [None if col in links else v for col, v in enumerate(values)],
            self.formats,
        )
        for col, link in links.items():
            self._link(col, link.url)
        self.next_row += 1

    def _link(self, col, url):
        if self.links < MAX_LINKS and len(url) <= MAX_URL:
            self.links += 1
            self.sheet.write_url(self.next_row, col, url, self.formats["link"], string=url)
        else:
            self.sheet.write_string(self.next_row, col, url)


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


def reports(flt, photo_url):
    """The reports list with its filters, as .xlsx bytes; `photo_url(path)` is the
    panel's address of a stored photo."""
    buffer = io.BytesIO()
    writer, book, formats = workbook(buffer)
    title = f"Data Monitoring {current_app.config['UNIT_NAME']}"
    sheet = DataSheet(
        book, "Laporan", REPORT_COLUMNS, formats, heading(title, period_label(flt.dari, flt.sampai))
    )
    statuses, total = Counter(), 0
    today = clock.local_now().date()
    category_names = categories.names()
    for rows in _chunks(report_list.query(flt), flt.sort):
        names = report_list.pj_names([r.idm for r in rows])
        for report in rows:
            total += 1
            statuses[report.status] += 1
            sheet.append(
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
                    report_list.age_label(report, today),
                    report.respon,
                    _photo(report, photo_url),
                ]
            )
    now = clock.local_now()
    lines = [("Dibuat", now.strftime("%d/%m/%Y %H:%M")), ("Jumlah laporan", total)]
    lines += [(f"Status {status}", statuses.get(status, 0)) for status in report_list.STATUSES]
    lines += _filter_lines(flt, category_names)
    summary_sheet(book, formats, "Rekap Data Monitoring", lines)
    writer.close()
    return buffer.getvalue()


def _photo(report, photo_url):
    """A link to the report's stored photo, built from its row; none for a row without
    one (or with what the PHP system left there, such as its default avatar.jpg)."""
    if upload_path(report.gambar, ".") is None:
        return None
    return Link(photo_url(report.gambar))


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
    lines = heading("Pesan WhatsApp Masuk", f'Pencarian "{q}"' if q else "Semua pesan")
    sheet = DataSheet(book, "WA Masuk", INCOMING_COLUMNS, formats, lines)
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
            sheet.append(
                [
                    total,
                    row.tanggal,
                    row.jam,
                    row.telepon,
                    row.pesan,
                    row.respon,
                    row.id_track,
                    row.keterangan,
                ]
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
