"""Every WhatsApp reply text, in one place, in the source document's wording.

Each function returns the finished text. Names of the unit and institution come from
settings, never literals.
"""

from dataclasses import dataclass

from flask import current_app

from .dates import jam, tanggal_panjang

CEK_LIST_LIMIT = 5
_SNIPPET = 60


@dataclass(frozen=True)
class Addressee:
    """Who a reply is written to: `Yth {nama} /{telepon} ({profil})`."""

    nama: str
    telepon: str
    profil: str


def _names():
    return current_app.config["UNIT_NAME"], current_app.config["INSTITUTION"]


def _yth(to):
    return f"Yth {to.nama} /{to.telepon} ({to.profil}), "


def _stamp(tanggal, waktu):
    return f"Tanggal {tanggal_panjang(tanggal)} Jam {jam(waktu)} Wib"


def _snippet(text):
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def menu():
    unit, institution = _names()
    return (
        f"*Layanan {unit} {institution} melalui WhatsApp*\n"
        "Pola pesan yang dapat digunakan:\n"
        "🙋 #Request <kendala/saran/keluhan Anda>\n"
        "🙋 #Req <kendala/saran/keluhan Anda>\n"
        "🙋 #Help <kendala/saran/keluhan Anda>\n"
        "🙋 #Bantu <kendala/saran/keluhan Anda>\n"
        "🙋 #Tolong <kendala/saran/keluhan Anda>\n"
        "🔎 #Cek <No_pengaduan> : kondisi terakhir laporan\n"
        "🔎 #Cek : 5 laporan terakhir Anda\n"
        "📋 #Track <No_pengaduan> : riwayat penanganan laporan"
    )


def pattern_request():
    unit, institution = _names()
    return (
        f"*Gunakan Pola Permohonan {unit} {institution}.* 👉 Request <kendala/saran/keluhan Anda>\n\n{menu()}"
    )


def pattern_cek():
    return "*Gunakan Pola Pengecekan Nomor Aduan.* 👉 Cek <No_pengaduan>"


def pattern_track():
    return "*Gunakan Pola Pelacakan Nomor Aduan.* 👉 Track <No_pengaduan>"


def new_report(to, id_track):
    return (
        f"{_yth(to)}Terimakasih atas infonya... Laporan/Masukan Anda akan segera kami "
        f"proseskan... Dengan Nomor Tracking Anda: *{id_track}*"
    )


def not_found(to, id_track, pattern):
    return (
        f"{_yth(to)}Nomor Aduan *{id_track}* tidak valid atau tidak ditemukan. "
        f"Periksa kembali nomor tracking Anda. 👉 {pattern} <No_pengaduan>"
    )


def cek(to, report, last_track, now):
    """The latest progress line; before any, when and how the report was received."""
    if last_track is not None:
        return (
            f"{_yth(to)}Hingga {tanggal_panjang(last_track.tanggal)} Jam {jam(last_track.jam)} "
            f"Wib: {last_track.catatan}"
        )
    return (
        f"{_yth(to)}Hingga {tanggal_panjang(now)} Jam {jam(now)} Wib: Laporan "
        f"*{report.id_track}* sudah kami terima ({_stamp(report.tanggal, report.jam)}) "
        f"dengan status *{report.status}* dan menunggu tindak lanjut petugas."
    )


def track(to, report, tracks):
    """The whole progress history, numbered, as in the source document."""
    if not tracks:
        return (
            f"{_yth(to)}Laporan *{report.id_track}* diterima {_stamp(report.tanggal, report.jam)} "
            f"dengan status *{report.status}*, belum ada catatan penanganan."
        )
    lines = [
        f"{number}. {_stamp(line.tanggal, line.jam)}, {line.catatan}"
        for number, line in enumerate(tracks, start=1)
    ]
    return _yth(to) + " ".join(lines)


def cek_list(to, reports):
    if not reports:
        return f"{_yth(to)}Anda belum memiliki laporan. 👉 Request <kendala/saran/keluhan Anda>"
    lines = [
        f"{number}. *{report.id_track}* ({tanggal_panjang(report.tanggal)}) {report.status}: "
        f"{_snippet(report.pesan)}"
        for number, report in enumerate(reports, start=1)
    ]
    return (
        f"{_yth(to)}{len(reports)} laporan terakhir Anda:\n"
        + "\n".join(lines)
        + "\n👉 Track <No_pengaduan> untuk riwayat penanganannya."
    )


def guest_refused(to):
    unit, institution = _names()
    return (
        f"{_yth(to)}nomor Anda belum terdaftar sebagai pegawai {institution}. "
        f"Silakan hubungi {unit} untuk pendaftaran nomor WhatsApp Anda."
    )
