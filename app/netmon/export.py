"""The outage report as an Excel workbook, built like every other export (panel.excel)."""

from io import BytesIO

from ..panel import excel
from ..reporting.dates import tanggal_panjang
from . import alerts, texts

COLUMNS = [
    ("No", 6),
    ("Host", 18),
    ("Komentar", 28),
    ("Router", 14),
    ("Mulai down", 20),
    ("Pulih", 20),
    ("Lama", 22),
    ("Lama (detik)", 12),
]
TIMED = ("Mulai down", "Pulih")


def outages_workbook(rows, start, end, now):
    """`now` is naive UTC, like the outages' times; every time is written in TIMEZONE,
    whose name the headers and the "Dibuat" stamp carry."""
    buffer = BytesIO()
    writer, book, formats = excel.workbook(buffer)
    title = "Laporan gangguan jaringan"
    made = alerts.to_local(now)
    columns = [(f"{name} ({made.tzname()})" if name in TIMED else name, width) for name, width in COLUMNS]
    sheet = excel.DataSheet(
        book, "Gangguan", columns, formats, excel.heading(title, excel.period_label(start, end))
    )
    total = 0
    for number, outage in enumerate(rows, start=1):
        host = outage.host
        seconds = outage.seconds(now)
        total += seconds
        sheet.append(
            [
                number,
                host.host if not host.port else f"{host.host}:{host.port}",
                host.komentar,
                host.router.nama if host.router else texts.builtin_check(host.sumber),
                alerts.to_local(outage.start),
                alerts.to_local(outage.end) if outage.end else "masih down",
                texts.durasi(seconds),
                seconds,
            ]
        )
    excel.summary_sheet(
        book,
        formats,
        f"{title} {tanggal_panjang(start)} s.d. {tanggal_panjang(end)}",
        [
            ("Dibuat", texts.waktu(made)),
            ("Jumlah gangguan", len(rows)),
            ("Total lama (jam)", round(total / 3600, 2)),
        ],
    )
    writer.close()
    buffer.seek(0)
    return buffer
