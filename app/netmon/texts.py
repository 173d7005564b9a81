"""Every Telegram text of the network monitor, in Indonesian, in one place.

Texts are Telegram HTML (parse_mode=HTML): whatever comes from a router or a person is
escaped here, so a comment like "<Kantor>" cannot break a message.
"""

from html import escape

from ..reporting.dates import tanggal_panjang

LIMIT = 4000  # Telegram takes 4096 characters per message; keep room for the joins


def e(value):
    return escape(str(value if value is not None else ""), quote=False)


def waktu(local):
    """23 November 2026 08:00:05 WIB"""
    return f"{tanggal_panjang(local)} {local:%H:%M:%S} {local.tzname() or ''}".strip()


def durasi(seconds):
    """1 hari 2 jam 5 menit; under a minute in seconds."""
    seconds = max(int(seconds or 0), 0)
    if seconds < 60:
        return f"{seconds} detik"
    parts = []
    for size, name in ((86400, "hari"), (3600, "jam"), (60, "menit")):
        if seconds >= size:
            parts.append(f"{seconds // size} {name}")
            seconds %= size
    if len(parts) == 1 and seconds:
        parts.append(f"{seconds} detik")
    return " ".join(parts)


def bits(value):
    """12.500.000 bps -> '12,5 Mbps'."""
    number = float(value or 0)
    for unit, size in (("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)):
        if number >= size:
            return f"{number / size:.1f}".replace(".", ",") + f" {unit}"
    return f"{number:.0f} bps"


def _who(label, host):
    return e(label) if label == host else f"{e(label)} ({e(host)})"


# -- alerts ----------------------------------------------------------------------------


def alert_down(label, host, router, at, children=()):
    lines = [f"🔴 <b>DOWN</b> — {e(label)}", f"Host: <code>{e(host)}</code>"]
    if router:
        lines.append(f"Router: {e(router)}")
    lines.append(f"Waktu: {waktu(at)}")
    if children:
        lines.append("Ikut terdampak: " + ", ".join(_who(lbl, h) for lbl, h in children))
    return "\n".join(lines)


def alert_up(label, host, router, at, down_for, children=(), still_down=()):
    lines = [f"🟢 <b>UP</b> — {e(label)}", f"Host: <code>{e(host)}</code>"]
    if router:
        lines.append(f"Router: {e(router)}")
    lines.append(f"Waktu: {waktu(at)}")
    if down_for is not None:
        lines.append(f"Lama down: {durasi(down_for)}")
    if children:
        lines.append("Ikut pulih: " + ", ".join(_who(lbl, h) for lbl, h in children))
    if still_down:
        lines.append("Masih down: " + ", ".join(_who(lbl, h) for lbl, h in still_down))
    return "\n".join(lines)


def router_lost(name, address, at, error):
    return "\n".join(
        [
            f"⚠️ <b>Router tidak dapat dihubungi</b> — {e(name)}",
            f"Alamat: <code>{e(address)}</code>",
            f"Waktu: {waktu(at)}",
            f"Galat: {e(error)}",
            "Status host di router ini tidak diketahui sampai router terhubung kembali.",
        ]
    )


def router_back(name, address, at, lost_for):
    lines = [f"✅ <b>Router terhubung kembali</b> — {e(name)}", f"Alamat: <code>{e(address)}</code>"]
    lines.append(f"Waktu: {waktu(at)}")
    if lost_for is not None:
        lines.append(f"Lama terputus: {durasi(lost_for)}")
    return "\n".join(lines)


def reminder(label, host, since, down_for):
    return "\n".join(
        [
            f"⏰ <b>Masih DOWN</b> — {e(label)}",
            f"Host: <code>{e(host)}</code>",
            f"Sejak: {waktu(since)} ({durasi(down_for)})",
            f"Tekan <b>Akui</b> atau kirim /ack {e(host)} untuk menghentikan pengingat.",
        ]
    )


ACK_BUTTON = "✅ Akui {label}"


def acknowledged(label, by):
    return f"✅ Gangguan {e(label)} diakui oleh {e(by)}. Pengingat dihentikan sampai host pulih."


def ack_not_down(label):
    return f"{e(label)} tidak sedang down; tidak ada yang perlu diakui."


def ack_unknown(what):
    return f"Host <code>{e(what)}</code> tidak dikenal. Lihat daftar dengan /monitor."


ACK_USAGE = "Gunakan: /ack &lt;host&gt;"
ACK_ANSWERED = "Dicatat"


def join(messages):
    """Several alerts to one chat as few messages as fit Telegram's limit."""
    out, current = [], ""
    for text in messages:
        candidate = f"{current}\n\n{text}" if current else text
        if len(candidate) <= LIMIT:
            current = candidate
            continue
        if current:
            out.append(current)
        current = text[:LIMIT]
    if current:
        out.append(current)
    return out


def builtin_check(sumber):
    return f"Cek bawaan ({sumber.upper()})"
