"""Every WhatsApp reply text, in one place, in the source document's wording.

Each function returns the finished text. Names of the unit and institution come from
settings, never literals.
"""

from dataclasses import dataclass
from html import escape

from flask import current_app

from ..netmon.texts import durasi
from .dates import jam, tanggal_panjang

CEK_LIST_LIMIT = 5
_SNIPPET = 60
OFFICE_EXCERPT = 200
SUMMARY_LINES = 15


@dataclass(frozen=True)
class Addressee:
    """Who a reply is written to: `Yth {nama} /{telepon} ({profil})`."""

    nama: str
    telepon: str
    profil: str


def _names():
    return current_app.config["UNIT_NAME"], current_app.config["INSTITUTION"]


def _yth(to):
    return f"Yth {_reporter(to.nama, to.telepon, to.profil)}, "


def _stamp(tanggal, waktu):
    return f"Tanggal {tanggal_panjang(tanggal)} Jam {jam(waktu)} Wib"


def _snippet(text):
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def _excerpt(text, limit):
    """The text on one line, cut after the last whole word that fits in `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def _reporter(nama, telepon, profil):
    # A report the network monitor opened has no number.
    return f"{nama} /{telepon} ({profil or '-'})" if telepon else f"{nama} ({profil or '-'})"


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
        "📋 #Track <No_pengaduan> : riwayat penanganan laporan\n"
        "✅ #Selesai <No_pengaduan> [nilai 1-5] [komentar] : konfirmasi pekerjaan selesai"
    )


_PATTERNS = {
    "cek": "*Gunakan Pola Pengecekan Nomor Aduan.* 👉 Cek <No_pengaduan>",
    "track": "*Gunakan Pola Pelacakan Nomor Aduan.* 👉 Track <No_pengaduan>",
    "selesai": "*Gunakan Pola Konfirmasi Selesai.* 👉 Selesai <No_pengaduan> [nilai 1-5] [komentar]",
    "start": "*Gunakan Pola Mulai Pekerjaan.* 👉 Start <No_pengaduan>",
    "report": "*Gunakan Pola Laporan Progres.* 👉 Report <No_pengaduan> <progres pekerjaan>",
    "finish": "*Gunakan Pola Penyelesaian Pekerjaan.* 👉 Finish <No_pengaduan> [catatan]",
}


def pattern(keyword):
    """The hint for a command written the wrong way ('request' and unknown: with the menu)."""
    if keyword in _PATTERNS:
        return _PATTERNS[keyword]
    unit, institution = _names()
    return (
        f"*Gunakan Pola Permohonan {unit} {institution}.* 👉 Request <kendala/saran/keluhan Anda>\n\n{menu()}"
    )


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


# --- progress lines (tb_track.catatan) and what the reporter is sent -------------------


def names_list(names):
    """ "Siswanto", "Siswanto dan Adrasha", "Siswanto, Adrasha dan Nikolai"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} dan {names[-1]}"


def assigned_line(names):
    """One line for one assignment action, however many people it added."""
    return f"Sudah ditentukan PJ/petugas {names_list(names)} untuk menindaklanjuti laporan Anda"


def routed_note(kategori):
    """The note of an automatic assignment (its members read it in their WhatsApp)."""
    return f"Penugasan otomatis kategori {kategori}"


def unrouted_note(kategori, reason=""):
    """Why a report of an automatic category was left without a PJ (the panel shows it)."""
    return f"Tidak ditugaskan otomatis ke tim kategori {kategori}: " + (
        reason or "tim tidak memiliki anggota aktif (TBO/Staf)"
    )


def team_line(team):
    """The team with its lead marked, or "" for a one-person team."""
    if len(team) < 2:
        return ""
    return "Tim: " + ", ".join([f"{team[0]} (ketua)", *team[1:]])


def started_line(nama_petugas, note=""):
    line = f"Petugas {nama_petugas} mulai mengerjakan laporan Anda"
    return f"{line}: {note}" if note else line


def finished_line(nama_petugas, note=""):
    line = f"Pekerjaan telah diselesaikan oleh petugas {nama_petugas}"
    return f"{line}: {note}" if note else line


def confirmed_line(rating, comment):
    line = "Pelapor mengonfirmasi laporan selesai"
    if rating:
        line += f", nilai {rating}/5"
    if comment:
        line += f": {comment}"
    return line


def auto_closed_note(days):
    return f"Ditutup otomatis: tidak ada konfirmasi pelapor dalam {days} hari setelah selesai"


def progress_notice(to, report, line):
    return (
        f"{_yth(to)}Perkembangan laporan *{report.id_track}* {_stamp(line.tanggal, line.jam)}: {line.catatan}"
    )


def finish_notice(to, report, line_text, days):
    return (
        f"{_yth(to)}Laporan *{report.id_track}*: {line_text}.\n"
        f"Bila sudah sesuai, mohon konfirmasi dengan mengetik:\n👉 #selesai {report.id_track} [nilai 1-5] "
        f"[komentar]\nTanpa konfirmasi, laporan ditutup otomatis setelah {days} hari."
    )


def confirmation(report, now):
    """The source document's confirmation text."""
    text = (
        f"Tanggal: {now:%Y-%m-%d %H:%M:%S} Wib> Pelaporan No ID {report.id_track} dinyatakan selesai..."
        " Terimakasih atas konfirmasi Anda."
    )
    if report.nilai:
        text += f" Nilai Anda: {'⭐' * report.nilai} ({report.nilai}/5)."
    return text


def auto_closed(to, report, days):
    return (
        f"{_yth(to)}Laporan *{report.id_track}* kami nyatakan selesai karena tidak ada konfirmasi dalam "
        f"{days} hari setelah pekerjaan selesai. Bila masih ada kendala, silakan kirim laporan baru. "
        "👉 Request <kendala/saran/keluhan Anda>"
    )


def not_reporter(id_track):
    return f"Konfirmasi laporan *{id_track}* hanya dapat dilakukan oleh pelapornya."


def already_closed(id_track):
    return f"Laporan *{id_track}* sudah dinyatakan selesai sebelumnya. Laporan baru: 👉 Request <kendala/saran/keluhan Anda>"


# --- technicians (TBO) -----------------------------------------------------------------


def menu_petugas():
    unit, institution = _names()
    return (
        f"*Menu Petugas {unit} {institution}*\n"
        "📋 #Job : daftar tugas Anda yang belum selesai\n"
        "▶️ #Start <No_pengaduan> : mulai mengerjakan\n"
        "📝 #Report <No_pengaduan> <progres pekerjaan> : laporan progres (boleh dengan foto)\n"
        "✅ #Finish <No_pengaduan> [catatan] : pekerjaan selesai"
    )


def assignment_for_petugas(nama, report, catatan, team=()):
    """team: the names of the whole team after this assignment, the lead first."""
    unit, institution = _names()
    lines = [
        f"*Penugasan {unit} {institution}*",
        f"Yth {nama}, Anda ditugaskan sebagai PJ laporan *{report.id_track}*.",
        f"Pelapor: {_reporter(report.nama_pelapor, report.telepon, report.profil_pelapor)}",
        f"Masuk: {_stamp(report.tanggal, report.jam)}",
        f"Keluhan: {report.pesan}",
    ]
    if catatan:
        lines.append(f"Catatan: {catatan}")
    if len(team) > 1:
        lines.append(team_line(team))
        lines.append(
            "Setiap anggota tim dapat mengirim #start, #report dan #finish; "
            "#finish oleh salah satu anggota menyelesaikan laporan untuk seluruh tim."
        )
    lines += [
        "Perintah:",
        f"👉 #start {report.id_track}",
        f"👉 #report {report.id_track} <progres pekerjaan>",
        f"👉 #finish {report.id_track} [catatan]",
    ]
    return "\n".join(lines)


def assignment_done(id_track, added, skipped, team):
    """What the panel and the CLI say after an assignment: names, in order."""
    text = f"Laporan {id_track} ditugaskan kepada {names_list(added)}."
    if len(team) > 1:
        text += f" {team_line(team)}."
    if skipped:
        text += f" {names_list(skipped)} sudah menjadi PJ laporan ini (dilewati)."
    return text


def finished_by_teammate(nama, report, nama_rekan):
    return (
        f"Yth {nama}, laporan *{report.id_track}* telah diselesaikan oleh rekan tim Anda {nama_rekan}. "
        "Penugasan Anda untuk laporan ini ikut selesai. Terima kasih."
    )


def finished_unattended_for_petugas(nama, report, catatan):
    return (
        f"Yth {nama}, laporan *{report.id_track}* dinyatakan selesai: {catatan}. "
        "Penugasan Anda untuk laporan ini ikut selesai. Terima kasih."
    )


def assignment_withdrawn(nama, report):
    return f"Yth {nama}, penugasan laporan *{report.id_track}* dibatalkan oleh admin. Terima kasih."


def confirmed_for_petugas(nama, report):
    text = f"Yth {nama}, laporan *{report.id_track}* telah dikonfirmasi selesai oleh pelapor."
    if report.nilai:
        text += f" Nilai: {report.nilai}/5."
    if report.komentar:
        text += f" Komentar: {report.komentar}"
    return text


def job_list(nama, rows, today, teams=None):
    """rows: (report, penugasan) pairs, today's assignments first; teams: idm -> the names
    of the report's team, the lead first."""
    if not rows:
        return f"Yth {nama}, saat ini tidak ada tugas terbuka untuk Anda."
    teams = teams or {}
    lines = []
    for number, (report, penugasan) in enumerate(rows, start=1):
        when = "hari ini" if penugasan.tanggal == today else tanggal_panjang(penugasan.tanggal)
        place = report.profil_pelapor or "-"
        line = (
            f"{number}. *{report.id_track}* ({when}) {report.status} — {report.nama_pelapor} "
            f"({place}): {_snippet(report.pesan)}"
        )
        team = team_line(teams.get(report.idm, ()))
        lines.append(f"{line}\n   {team}" if team else line)
    return (
        f"Yth {nama}, tugas Anda ({len(rows)}):\n"
        + "\n".join(lines)
        + "\n👉 #start <No_pengaduan> untuk mulai."
    )


def petugas_ack(kind, report):
    return {
        "start": f"Mulai pengerjaan laporan *{report.id_track}* tercatat. Pelapor sudah diberi tahu.",
        # A teammate started first: the reporter was told then, not again.
        "start_joined": (
            f"Mulai pengerjaan Anda pada laporan *{report.id_track}* tercatat. "
            "Pelapor sudah diberi tahu ketika tim mulai mengerjakan."
        ),
        "report": f"Progres laporan *{report.id_track}* tercatat dan diteruskan kepada pelapor.",
        "finish": (
            f"Laporan *{report.id_track}* tercatat selesai. Pelapor diminta mengonfirmasi dengan #selesai."
        ),
        # Review of TBO reports (REVIEW_TBO_REPORTS): kept until a Staf validates it.
        "report_waiting": (
            f"Progres laporan *{report.id_track}* tercatat dan menunggu validasi admin "
            "sebelum diteruskan kepada pelapor."
        ),
        "finish_waiting": (
            f"Laporan *{report.id_track}* tercatat selesai dan menunggu validasi admin. "
            "Setelah divalidasi, pelapor diminta mengonfirmasi dengan #selesai."
        ),
    }[kind]


REVIEW_KINDS = {"report": "Progres", "finish": "Laporan selesai"}


def review_approved(nama, id_track, kind, corrected):
    """To the TBO: their waiting #report/#finish went on to the reporter."""
    text = f"Yth {nama}, {REVIEW_KINDS[kind].lower()} Anda untuk laporan *{id_track}* telah divalidasi"
    text += " (dengan perbaikan teks oleh admin)" if corrected else ""
    return text + " dan diteruskan kepada pelapor. Terima kasih."


def review_returned(nama, id_track, kind, note):
    """To the TBO: their waiting #report/#finish was sent back, not passed on."""
    again = (
        f"#report {id_track} <progres pekerjaan>" if kind == "report" else f"#finish {id_track} <keterangan>"
    )
    return (
        f"Yth {nama}, {REVIEW_KINDS[kind].lower()} Anda untuk laporan *{id_track}* dikembalikan oleh admin "
        f"dan tidak diteruskan kepada pelapor.\nCatatan: {note}\nSilakan kirim ulang bila perlu. 👉 {again}"
    )


def petugas_refused(reason, id_track=""):
    """Why a TBO command changed nothing."""
    return {
        "unknown_sender": "Perintah ini khusus petugas yang terdaftar. Untuk melapor: 👉 Request <kendala/saran/keluhan Anda>",
        "inactive": "Akun petugas Anda tidak aktif. Hubungi Administrator.",
        "not_assigned": f"Laporan *{id_track}* tidak ditugaskan kepada Anda. Perintah tidak diproses.",
        "closed": f"Laporan *{id_track}* sudah ditutup. Perintah tidak diproses.",
        "finished": f"Laporan *{id_track}* sudah selesai dan menunggu konfirmasi pelapor.",
        "empty_report": f"Tuliskan progres pekerjaannya. 👉 Report {id_track} <progres pekerjaan>",
        "finish_waiting": (
            f"Laporan *{id_track}* sudah dilaporkan selesai dan sedang menunggu validasi admin. "
            "Perintah tidak diproses."
        ),
    }[reason]


def not_valid(id_track):
    return f"Nomor Aduan *{id_track}* tidak valid atau tidak ditemukan. Periksa kembali nomor tugas Anda."


def admin_digest(nama, unassigned, not_started, names):
    unit, institution = _names()
    lines = [f"*Ringkasan Pagi {unit} {institution}*", f"Yth {nama},"]
    if unassigned:
        lines.append(f"Laporan belum ditugaskan lebih dari 24 jam ({len(unassigned)}):")
        lines += [
            f"- *{r.id_track}* ({tanggal_panjang(r.tanggal)}) {r.nama_pelapor}: {_snippet(r.pesan)}"
            for r in unassigned
        ]
    if not_started:
        lines.append(f"Penugasan belum dimulai lebih dari 24 jam ({len(not_started)}):")
        lines += [
            f"- *{r.id_track}* PJ {names.get(p.id_admin, p.id_admin)} sejak {tanggal_panjang(p.tanggal)}"
            for r, p in not_started
        ]
    return "\n".join(lines)


# --- the office (Administrators and Staf) ----------------------------------------------


def office_new_report(id_track, to, kategori, complaint, for_telegram=False):
    """A new report for the office; for Telegram as HTML (the alerts' parse mode)."""
    unit, institution = _names()
    text = escape if for_telegram else str

    def bold(value):
        return f"<b>{escape(value)}</b>" if for_telegram else f"*{value}*"

    return "\n".join(
        [
            bold(f"Laporan Baru {unit} {institution}"),
            f"Nomor Tracking: {bold(id_track)}",
            text(f"Pelapor: {_reporter(to.nama, to.telepon, to.profil)}"),
            text(f"Kategori: {kategori}"),
            text(f"Keluhan: {_excerpt(complaint, OFFICE_EXCERPT)}"),
        ]
    )


def office_summary(nama, rows, since):
    """rows: (report, kategori) of the reports received since `since`, oldest first."""
    unit, institution = _names()
    lines = [
        f"*Ringkasan Laporan {unit} {institution}*",
        f"Yth {nama}, {len(rows)} laporan masuk sejak {tanggal_panjang(since)} Jam {jam(since)} Wib:",
    ]
    lines += [
        f"{number}. *{report.id_track}* {kategori} — {report.nama_pelapor} "
        f"({report.profil_pelapor or '-'}): {_excerpt(report.pesan, _SNIPPET)}"
        for number, (report, kategori) in enumerate(rows[:SUMMARY_LINES], start=1)
    ]
    if len(rows) > SUMMARY_LINES:
        lines.append(f"…dan {len(rows) - SUMMARY_LINES} laporan lainnya di panel (Data Monitoring).")
    return "\n".join(lines)


def pending_line(reason):
    return f"Laporan ditunda (Pending): {reason}"


def resumed_line():
    return "Laporan dilanjutkan kembali"


def closed_line(reason):
    return f"Laporan ditutup oleh admin: {reason}"


def closed_for_petugas(nama, report, reason):
    return f"Yth {nama}, laporan *{report.id_track}* ditutup oleh admin: {reason}"


def test_message():
    unit, institution = _names()
    return f"Pesan uji dari panel {unit} {institution}. Bila pesan ini sampai, pengiriman WhatsApp berjalan."


def unsupported_kind(label):
    """A message of a kind we cannot read (voice note, sticker...): say so, and how to write."""
    return (
        f"Mohon maaf, {label} belum dapat kami proses. Silakan tulis laporan Anda sebagai teks "
        f"(foto atau dokumen boleh disertai keterangan).\n\n{menu()}"
    )


def progress_photo(id_track, nama_petugas):
    """The caption of a TBO's progress photo forwarded to the reporter."""
    by = f" dari petugas {nama_petugas}" if nama_petugas else ""
    return f"Foto progres laporan *{id_track}*{by}."


def photo_failed(id_track, reason, for_petugas):
    """A photo or document that came with a message could not be fetched from WhatsApp."""
    kept = (
        f"Progres Anda tetap tercatat tanpa foto; kirim ulang dengan #report {id_track} <keterangan> bila perlu."
        if for_petugas
        else "Laporan Anda tetap tercatat tanpa foto."
    )
    return f"Mohon maaf, foto/berkas untuk laporan *{id_track}* tidak dapat kami terima ({reason}). {kept}"


# --- the network monitor's reports (netmon.tickets) -------------------------------------

NETWORK_REPORTER = "Monitor Jaringan"
NETWORK_PROFILE = "Sistem"
NETWORK_CATEGORY_WORD = "jaringan"  # the category whose keywords hold it gets the report


def _pukul(local):
    return f"pukul {local:%H:%M} {local.tzname() or ''}".rstrip()


def _lama(seconds):
    """12 menit, 1 jam 5 menit (whole minutes), or 40 detik under a minute."""
    seconds = max(int(seconds or 0), 0)
    return durasi(seconds - seconds % 60 if seconds >= 60 else seconds)


def network_outage(label, address, watcher, since, children=()):
    """The complaint of a report opened for an outage; `watcher` is "router utama" or the
    built-in check, `since` aware local time, children (label, address) of the hosts it
    took down."""
    who = label if label == address else f"{label} ({address})"
    text = (
        f"Gangguan jaringan: {who} tidak terjangkau sejak {tanggal_panjang(since)} {_pukul(since)}. "
        f"Dipantau: {watcher}."
    )
    if children:
        text += (
            " Ikut terdampak: "
            + ", ".join(lbl if lbl == addr else f"{lbl} ({addr})" for lbl, addr in children)
            + "."
        )
    return text


def network_recovered_line(at, down_seconds):
    """The progress line when the host is back: Jaringan pulih pukul 10:42 WIB setelah 12 menit."""
    return f"Jaringan pulih {_pukul(at)} setelah {_lama(down_seconds)}"
