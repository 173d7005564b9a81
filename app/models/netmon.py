"""The network monitor's tables: routers, watched hosts, their events, Telegram chats.

Times are naive UTC (clock.utcnow), as in tb_outbox.
"""

from ..extensions import db
from .types import TABLE_ARGS, PreciseDateTime

UP = "up"
DOWN = "down"
UNKNOWN = "unknown"  # not yet seen in a known state

NETWATCH = "netwatch"  # read from a router's /tool/netwatch
ICMP = "icmp"  # built-in checks, for hosts not behind a router
TCP = "tcp"
SOURCES = (NETWATCH, ICMP, TCP)

# tb_event.jenis
HOST = "host"
ROUTER = "router"

# tb_telegram_chat.status
DIIZINKAN = "diizinkan"
DITOLAK = "ditolak"


class Router(db.Model):
    """tb_router: a MikroTik router whose Netwatch is read over the RouterOS API."""

    __tablename__ = "tb_router"
    __table_args__ = TABLE_ARGS

    id_router = db.Column(db.Integer, primary_key=True, autoincrement=True)
    nama = db.Column(db.String(50), nullable=False, unique=True)
    host = db.Column(db.String(255), nullable=False)
    port = db.Column(db.Integer, nullable=False, default=8728)
    username = db.Column(db.String(100), nullable=False, default="")
    # Fernet token (netmon.secrets); never the password itself.
    password = db.Column(db.Text, nullable=False, default="")
    tls = db.Column(db.Boolean, nullable=False, default=False)
    aktif = db.Column(db.Boolean, nullable=False, default=True)
    # Reachability over the API: up, down, or unknown before the first poll.
    status = db.Column(db.String(10), nullable=False, default=UNKNOWN)
    sejak = db.Column(PreciseDateTime, nullable=True)
    terakhir_dilihat = db.Column(PreciseDateTime, nullable=True)
    galat = db.Column(db.Text, nullable=False, default="")
    # "config" for the ROUTEROS_* router (kept in step with the environment), else "panel".
    sumber = db.Column(db.String(10), nullable=False, default="panel")
    dibuat = db.Column(PreciseDateTime, nullable=False)
    # Added columns: the router's own clock (/system/clock), read on connecting and hourly.
    # Its times are read in its zone; a clock further off the server's than
    # routertime.TOLERANCE is not believed, and said once on Telegram (jam_dikabarkan).
    zona_waktu = db.Column(db.String(64), nullable=False, default="")  # time-zone-name
    selisih_gmt = db.Column(db.Integer, nullable=True)  # gmt-offset, seconds east of UTC
    selisih_jam = db.Column(db.Integer, nullable=True)  # router clock minus server's, seconds
    jam_dibaca = db.Column(PreciseDateTime, nullable=True)
    jam_dikabarkan = db.Column(db.Boolean, nullable=False, default=False)
    # Added column: the number of the last /log line read (RouterOS numbers them upwards);
    # None before the first read.
    log_terakhir = db.Column(db.Integer, nullable=True)


class Host(db.Model):
    """tb_host: a watched host, from a router's Netwatch or checked by the app itself."""

    __tablename__ = "tb_host"
    __table_args__ = (
        db.UniqueConstraint("id_router", "sumber", "host", "port", name="uq_tb_host_target"),
        db.Index("ix_tb_host_host", "host"),
        TABLE_ARGS,
    )

    id_host = db.Column(db.Integer, primary_key=True, autoincrement=True)
    id_router = db.Column(db.Integer, db.ForeignKey("tb_router.id_router", ondelete="CASCADE"), nullable=True)
    sumber = db.Column(db.String(10), nullable=False, default=NETWATCH)
    host = db.Column(db.String(255), nullable=False)
    port = db.Column(db.Integer, nullable=False, default=0)  # TCP checks only
    komentar = db.Column(db.String(255), nullable=False, default="")  # the branch name
    status = db.Column(db.String(10), nullable=False, default=UNKNOWN)
    # When the current state began (Netwatch's `since` where known).
    sejak = db.Column(PreciseDateTime, nullable=True)
    # When the app last wrote a state change: a poll that read the router before this
    # moment must not undo a push that came in meanwhile.
    diubah = db.Column(PreciseDateTime, nullable=True)
    terakhir_dilihat = db.Column(PreciseDateTime, nullable=True)
    # False once the entry is gone from the router's Netwatch; kept for its history.
    aktif = db.Column(db.Boolean, nullable=False, default=True)
    # Optional, per host: a parent whose outage explains this one, a maintenance window
    # without alerts, reminders every so many minutes while down, an acknowledgement.
    id_induk = db.Column(db.Integer, db.ForeignKey("tb_host.id_host", ondelete="SET NULL"), nullable=True)
    pemeliharaan_mulai = db.Column(PreciseDateTime, nullable=True)
    pemeliharaan_selesai = db.Column(PreciseDateTime, nullable=True)
    ulang_menit = db.Column(db.Integer, nullable=False, default=0)
    pengingat_terakhir = db.Column(PreciseDateTime, nullable=True)
    diakui_oleh = db.Column(db.String(100), nullable=False, default="")
    diakui_pada = db.Column(PreciseDateTime, nullable=True)
    dibuat = db.Column(PreciseDateTime, nullable=False)

    router = db.relationship("Router", lazy="joined")

    @property
    def label(self):
        return self.komentar or self.host


class Event(db.Model):
    """tb_event: one row per change of state of a host or of a router's reachability."""

    __tablename__ = "tb_event"
    __table_args__ = (
        db.Index("ix_tb_event_host_waktu", "id_host", "waktu"),
        db.Index("ix_tb_event_waktu", "waktu"),
        TABLE_ARGS,
    )

    id_event = db.Column(db.Integer, primary_key=True, autoincrement=True)
    jenis = db.Column(db.String(10), nullable=False, default=HOST)
    id_host = db.Column(db.Integer, db.ForeignKey("tb_host.id_host", ondelete="CASCADE"), nullable=True)
    id_router = db.Column(db.Integer, db.ForeignKey("tb_router.id_router", ondelete="CASCADE"), nullable=True)
    status_lama = db.Column(db.String(10), nullable=False)
    status_baru = db.Column(db.String(10), nullable=False)
    waktu = db.Column(PreciseDateTime, nullable=False)  # when the new state began
    durasi = db.Column(db.Integer, nullable=True)  # seconds the old state lasted, when known
    sumber = db.Column(db.String(10), nullable=False, default="poll")  # poll, push, check
    dialertkan = db.Column(db.Boolean, nullable=False, default=False)
    # Why no alert went out on its own: induk (inside the parent's alert), pemeliharaan.
    keterangan = db.Column(db.String(255), nullable=False, default="")
    dicatat = db.Column(PreciseDateTime, nullable=False)
    # Added column: the report (tb_monitoring.idm) this outage opened (netmon.tickets).
    idm = db.Column(db.Integer, nullable=True)

    host = db.relationship("Host", lazy="joined")
    router = db.relationship("Router", lazy="joined")


class TelegramChat(db.Model):
    """tb_telegram_chat: chats allowed in the panel, and chats that were refused."""

    __tablename__ = "tb_telegram_chat"
    __table_args__ = TABLE_ARGS

    chat_id = db.Column(db.String(32), primary_key=True)
    nama = db.Column(db.String(100), nullable=False, default="")
    status = db.Column(db.String(10), nullable=False, default=DITOLAK)
    ditolak = db.Column(db.Integer, nullable=False, default=0)  # refused messages so far
    pesan_terakhir = db.Column(db.Text, nullable=False, default="")
    terakhir = db.Column(PreciseDateTime, nullable=True)
    dibuat = db.Column(PreciseDateTime, nullable=False)
    # Added column: an allowed chat that also gets each new WhatsApp report.
    laporan = db.Column(db.Boolean, nullable=False, default=False)


class RouterLoginGagal(db.Model):
    """tb_router_login_gagal: one burst of failed logins to a router from one address,
    read from the router's /log (netmon.routerlog)."""

    __tablename__ = "tb_router_login_gagal"
    __table_args__ = (
        db.Index("ix_tb_router_login_gagal_alamat", "id_router", "alamat", "terakhir"),
        db.Index("ix_tb_router_login_gagal_terakhir", "terakhir"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    id_router = db.Column(
        db.Integer, db.ForeignKey("tb_router.id_router", ondelete="CASCADE"), nullable=False
    )
    alamat = db.Column(db.String(100), nullable=False, default="")
    pengguna = db.Column(db.String(255), nullable=False, default="")  # user names tried, comma-separated
    lewat = db.Column(db.String(50), nullable=False, default="")  # winbox, ssh, api, ...
    jumlah = db.Column(db.Integer, nullable=False, default=0)
    mulai = db.Column(PreciseDateTime, nullable=False)
    terakhir = db.Column(PreciseDateTime, nullable=False)
    # Times of the failures within the last five minutes, until the burst is alerted.
    jejak = db.Column(db.Text, nullable=False, default="")
    dialertkan = db.Column(db.Boolean, nullable=False, default=False)
    dicatat = db.Column(PreciseDateTime, nullable=False)

    router = db.relationship("Router", lazy="joined")
