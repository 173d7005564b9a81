"""The outage report as an Excel workbook."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..reporting.dates import tanggal_panjang
from . import alerts, texts

HEADERS = ("No", "Host", "Komentar", "Router", "Mulai down", "Pulih", "Lama", "Lama (detik)")


def outages_workbook(rows, start, end, now):
    book = Workbook()
    sheet = book.active
    sheet.title = "Gangguan"
    sheet.append([f"Laporan gangguan jaringan {tanggal_panjang(start)} s.d. {tanggal_panjang(end)}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for number, outage in enumerate(rows, start=1):
        host = outage.host
        seconds = outage.seconds(now)
        sheet.append(
            [
                number,
                host.host if not host.port else f"{host.host}:{host.port}",
                host.komentar,
                host.router.nama if host.router else texts.builtin_check(host.sumber),
                alerts.to_local(outage.start).replace(tzinfo=None),
                alerts.to_local(outage.end).replace(tzinfo=None) if outage.end else "masih down",
                texts.durasi(seconds),
                seconds,
            ]
        )
        for column in (5, 6):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd hh:mm:ss"
    for index, width in enumerate((5, 18, 28, 14, 20, 20, 22, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
