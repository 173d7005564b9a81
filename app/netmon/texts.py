"""Every Telegram text of the network monitor, in Indonesian, in one place.

Texts are Telegram HTML (parse_mode=HTML): whatever comes from a router or a person is
escaped here, so a comment like "<Kantor>" cannot break a message.
"""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Words:
    """How alerts name the two states: as a heading, and inside a sentence."""

    up: str
    down: str
    down_in_line: str


UPDOWN = Words("UP", "DOWN", "down")
PAPER = Words("ON", "OFF", "OFF")  # the source paper's notifications


def words(style):
    """NETMON_ALERT_STYLE: `paper` for ON/OFF, anything else for UP/DOWN."""
    return PAPER if style == "paper" else UPDOWN


def alert_down(label, host, router, at, children=(), first_seen=False, said=UPDOWN):
    lines = [f"🔴 <b>{said.down}</b> — {e(label)}", f"Host: <code>{e(host)}</code>"]
    if router:
        lines.append(f"Router: {e(router)}")
    lines.append(f"Waktu: {waktu(at)}")
    if first_seen:
        lines.append(f"Sudah {said.down_in_line} saat pertama dipantau.")
    if children:
        lines.append("Ikut terdampak: " + ", ".join(_who(lbl, h) for lbl, h in children))
    return "\n".join(lines)


def alert_up(label, host, router, at, down_for, children=(), still_down=(), said=UPDOWN):
    lines = [f"🟢 <b>{said.up}</b> — {e(label)}", f"Host: <code>{e(host)}</code>"]
    if router:
        lines.append(f"Router: {e(router)}")
    lines.append(f"Waktu: {waktu(at)}")
    if down_for is not None:
        lines.append(f"Lama {said.down_in_line}: {durasi(down_for)}")
    if children:
        lines.append("Ikut pulih: " + ", ".join(_who(lbl, h) for lbl, h in children))
    if still_down:
        lines.append(f"Masih {said.down_in_line}: " + ", ".join(_who(lbl, h) for lbl, h in still_down))
    return "\n".join(lines)


def router_lost(name, address, at, error):
    return "\n".join(
        [
            f"⚠️ <b>Router terputus</b> — {e(name)}",
            f"Alamat: <code>{e(address)}</code>",
            f"Waktu: {waktu(at)}",
            f"Galat: {e(error)}",
            "Router tidak dapat dihubungi: status host di router ini tidak diketahui dan "
            "pengingatnya dihentikan sampai router terhubung kembali.",
        ]
    )


def router_back(name, address, at, lost_for):
    lines = [f"✅ <b>Router terhubung kembali</b> — {e(name)}", f"Alamat: <code>{e(address)}</code>"]
    lines.append(f"Waktu: {waktu(at)}")
    if lost_for is not None:
        lines.append(f"Lama terputus: {durasi(lost_for)}")
    return "\n".join(lines)


def clock_skew(seconds):
    """How far a router's clock is from the server's, in words."""
    if abs(seconds) < 60:
        return f"selisih {abs(seconds)} detik"
    way = "lebih cepat" if seconds > 0 else "lebih lambat"
    # To the minute: the router tells whole seconds, so a few are noise.
    return f"{durasi(round(abs(seconds) / 60) * 60)} {way} dari jam server"


CLOCK_UNREADABLE = "jam router tidak terbaca"


def router_clock_off(name, router_at, server_at, skew):
    return "\n".join(
        [
            f"⏱️ <b>Jam router tidak tepat</b> — {e(name)}",
            f"Jam router {clock_skew(skew)}.",
            f"Router: {waktu(router_at)}",
            f"Server: {waktu(server_at)}",
            "Waktu kejadian dari router ini dicatat dengan jam server sampai jam router "
            "dibetulkan (aktifkan /system ntp client).",
        ]
    )


def login_attack(router, address, users, count, via, since):
    return "\n".join(
        [
            f"🛡️ <b>Percobaan login gagal berulang</b> — router {e(router)}",
            f"Dari alamat: <code>{e(address)}</code>" + (f" (lewat {e(via)})" if via else ""),
            f"User yang dicoba: {e(users)}",
            f"Jumlah: {count} kali sejak {waktu(since)}",
            "Periksa apakah ini serangan; blokir alamat itu di firewall router bila perlu.",
        ]
    )


def reminder(label, host, since, down_for, said=UPDOWN):
    return "\n".join(
        [
            f"⏰ <b>Masih {said.down}</b> — {e(label)}",
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
    """Several texts to one chat as few messages as fit Telegram's limit; a text longer
    than the limit is cut between lines."""
    out, current = [], ""
    for text in (piece for message in messages for piece in _pieces(message)):
        candidate = f"{current}\n\n{text}" if current else text
        if len(candidate) <= LIMIT:
            current = candidate
            continue
        if current:
            out.append(current)
        current = text
    if current:
        out.append(current)
    return out


def _pieces(text):
    if len(text) <= LIMIT:
        return [text]
    pieces, current = [], ""
    for line in text.split("\n"):
        line = line[:LIMIT]
        if current and len(current) + 1 + len(line) > LIMIT:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces


def ticket_opened(label, host, id_track, kategori, team, since, down_for):
    """An outage that lasted long enough became a report (netmon.tickets)."""
    lines = [
        f"📋 <b>Laporan {e(id_track)}</b> — {e(label)} masih DOWN",
        f"Host: <code>{e(host)}</code>",
        f"Sejak: {waktu(since)} ({durasi(down_for)})",
        f"Kategori: {e(kategori)}",
        ("Ditugaskan ke: " + ", ".join(e(n) for n in team))
        if team
        else "Belum ditugaskan: tugaskan dari panel.",
    ]
    return "\n".join(lines)


def builtin_check(sumber):
    return f"Cek bawaan ({sumber.upper()})"


# -- the bot ---------------------------------------------------------------------------

HELP = "\n".join(
    [
        "<b>Menu MikroTik</b>",
        "Bot ini berinteraksi dengan router MikroTik dan memantau jaringan.",
        "",
        "/menu - Menu tombol (inline)",
        "/monitor - Status semua host yang dipantau",
        "/ping &lt;host&gt; - Ping dari router",
        "/dhcp - Daftar lease DHCP",
        "/address - Alamat IP router",
        "/pool - Pool alamat IP",
        "-----",
        "/traffic [interface] - Lalu lintas interface saat ini",
        "/interface - Status interface",
        "/dns - Pengaturan DNS",
        "/neighbor - Perangkat tetangga",
        "/ack &lt;host&gt; - Akui gangguan (hentikan pengingat)",
        "-----",
        "Tambahkan nama router di akhir perintah bila ada lebih dari satu router, mis. /dhcp utama",
    ]
)
MENU = "<b>Menu MikroTik</b>\nPilih perintah:"
MENU_BUTTONS = [
    [("📊 Monitor", "monitor"), ("📡 Ping", "ping")],
    [("🖧 DHCP", "dhcp"), ("🌐 Address", "address"), ("🗂 Pool", "pool")],
    [("📈 Traffic", "traffic"), ("🔌 Interface", "interface")],
    [("🧭 DNS", "dns"), ("🤝 Neighbor", "neighbor"), ("❓ Help", "help")],
]
PING_USAGE = "Gunakan: /ping &lt;host&gt; [router], mis. /ping 8.8.8.8"
ARGUMENT_TOO_LONG = "Nama host atau interface terlalu panjang (maksimal 255 karakter)."
UNKNOWN_COMMAND = "Perintah tidak dikenal. Ketik /help untuk daftar perintah atau /menu untuk tombol."
REFUSED = "Maaf, chat ini tidak terdaftar untuk bot monitoring. Hubungi Administrator jaringan (ID chat: {chat_id})."
CALLBACK_REFUSED = "Tidak diizinkan"
NO_ROUTER = "Belum ada router yang aktif. Tambahkan router di panel (menu Jaringan › Router)."
EMPTY = "(kosong)"


BUTTON_UNKNOWN = "Tombol ini tidak dikenal atau sudah kedaluwarsa. Buka /menu lagi."
BUTTON_ROUTER_GONE = "Router pada tombol ini sudah tidak aktif atau sudah dihapus. Buka /menu lagi."
BUTTON_HOST_GONE = "Host pada tombol ini sudah tidak dipantau lagi. Buka /menu lagi."
PING_CHOOSE_ROUTER = "<b>Ping</b> — pilih router dulu:\n(atau ketik /ping &lt;host&gt; [router])"
BUILTIN_GROUP = "Cek bawaan (ICMP/TCP)"
PAGE_PREVIOUS = "« Sebelumnya"
PAGE_NEXT = "Berikutnya »"


def router_button(name):
    return f"🖧 {name}"


def host_button(label, address, status):
    name = label if label == address else f"{label} ({address})"
    return f"{STATE_ICON.get(status, '⚪')} {name}"


def ping_choose_host(router, page, pages):
    lines = [f"<b>Ping</b> — {e(router)}", "Pilih host:"]
    if pages > 1:
        lines[1] = f"Pilih host (halaman {page + 1} dari {pages}):"
    return "\n".join(lines)


def choose_router(command, args):
    what = " ".join(["/" + command, *args])
    return f"Ada beberapa router. Jalankan <code>{e(what)}</code> di router mana?"


def name_the_router(command, names):
    return (
        f"Ada beberapa router; tambahkan nama router di akhir perintah, mis. /{e(command)} ... "
        f"{e(names[0])}. Router yang ada: {e(', '.join(names))}"
    )


def router_error(name, error):
    return f"⚠️ Router {e(name)} tidak dapat dihubungi: {e(error)}"


def command_failed(error):
    return f"⚠️ Perintah gagal: {e(error)}"


def unknown_router(name, names):
    return f"Router <b>{e(name)}</b> tidak dikenal. Router yang ada: {e(', '.join(names) or '-')}"


def heading(title, router):
    return f"<b>{e(title)}</b>" + (f" — {e(router)}" if router else "")


def table(title, router, lines):
    return "\n".join([heading(title, router), *(lines or [EMPTY])])


STATE_ICON = {"up": "🟢", "down": "🔴", "unknown": "⚪"}


ROUTER_LOST_STATE = "tidak diketahui (router terputus)"


def monitor_line(label, address, status, since_local, now_local, uptime=(), router_lost=False):
    """One host of /monitor; `uptime` is [(window, percent or None)]."""
    icon = STATE_ICON.get(status, "⚪")
    lasted = durasi((now_local - since_local).total_seconds()) if since_local else "-"
    name = e(label) if label == address else f"{e(label)} (<code>{e(address)}</code>)"
    shares = ", ".join(f"{percent:.1f}% ({window})" for window, percent in uptime if percent is not None)
    shown = ROUTER_LOST_STATE if router_lost else status.upper()
    return f"{icon} {name} — {shown} {lasted}" + (f"\n   uptime {shares}" if shares else "")


def monitor_router_line(name, status, error):
    icon = {"up": "✅", "down": "⚠️"}.get(status, "⚪")
    line = f"{icon} <b>Router {e(name)}</b> ({'terhubung' if status == 'up' else 'terputus' if status == 'down' else 'belum diperiksa'})"
    return line + (f"\n   {e(error)}" if status == "down" and error else "")


def monitor_summary(up, down, unknown):
    return f"Total: {up} up, {down} down" + (f", {unknown} belum diketahui" if unknown else "")


def ping_result(address, label, router, sent, received, rtts):
    loss = 100 - (received * 100 // sent if sent else 0)
    lines = [heading(f"Ping {address}" + (f" ({label})" if label and label != address else ""), router)]
    lines.append(f"Terkirim: {sent}, diterima: {received}, loss: {loss}%")
    if rtts:
        lines.append("RTT min/rata-rata/maks: " + "/".join(f"{v:g}" for v in rtts) + " ms")
    lines.append("Status: 🟢 UP" if received else "Status: 🔴 Timeout (RTO)")
    return "\n".join(lines)


def traffic(router, name, rx_bps, tx_bps, rx_pps, tx_pps):
    return "\n".join(
        [
            heading(f"Traffic {name}", router),
            f"⬇️ Rx: {bits(rx_bps)} ({e(rx_pps)} paket/detik)",
            f"⬆️ Tx: {bits(tx_bps)} ({e(tx_pps)} paket/detik)",
        ]
    )


def dhcp_line(row):
    name = row.get("host-name") or row.get("comment") or "-"
    return f"• <code>{e(row.get('address'))}</code> {e(name)} [{e(row.get('status', '-'))}] {e(row.get('mac-address', ''))}"


def address_line(row):
    off = " (nonaktif)" if row.get("disabled") == "true" else ""
    return f"• <code>{e(row.get('address'))}</code> di {e(row.get('interface'))}{off}"


def pool_line(row):
    return f"• {e(row.get('name'))}: <code>{e(row.get('ranges'))}</code>"


def interface_line(row):
    if row.get("disabled") == "true":
        state = "🚫 nonaktif"
    else:
        state = "🟢 terhubung" if row.get("running") == "true" else "🔴 tidak terhubung"
    comment = f" — {e(row['comment'])}" if row.get("comment") else ""
    return f"• {e(row.get('name'))} ({e(row.get('type', '-'))}) {state}{comment}"


def neighbor_line(row):
    detail = " ".join(e(row[k]) for k in ("platform", "board", "version") if row.get(k))
    return f"• {e(row.get('identity') or '-')} <code>{e(row.get('address', '-'))}</code> via {e(row.get('interface'))} {detail}".rstrip()


DNS_FIELDS = (
    ("servers", "Server"),
    ("dynamic-servers", "Server dinamis"),
    ("allow-remote-requests", "Terima permintaan jarak jauh"),
    ("cache-size", "Ukuran cache"),
    ("cache-used", "Cache terpakai"),
)


def dns_lines(row):
    return [f"{label}: {e(row.get(key) or '-')}" for key, label in DNS_FIELDS]
