"""tb_outbox: every outgoing message, from queued to sent or failed, with its error."""

from ..extensions import db
from .types import TABLE_ARGS, LongText, PreciseDateTime

ANTRI = "antri"  # queued, waiting for its time
KIRIM = "kirim"  # claimed by a worker, being sent
TERKIRIM = "terkirim"  # accepted by the provider
GAGAL = "gagal"  # given up: permanent error or too many attempts

# Delivery states reported by the provider after it accepted a message. Reports arrive out
# of order; one only replaces a lower-ranked state, so a late "sent" never hides "read",
# and a failure on one of several phones never hides a delivery to another.
ANTAR_TERKIRIM = "terkirim"  # on WhatsApp's servers
ANTAR_GAGAL = "gagal"  # could not be delivered
ANTAR_DITERIMA = "diterima"  # on the recipient's phone
ANTAR_DIBACA = "dibaca"  # read
DELIVERY_RANK = {"": 0, ANTAR_TERKIRIM: 1, ANTAR_GAGAL: 2, ANTAR_DITERIMA: 3, ANTAR_DIBACA: 4}


class Outbox(db.Model):
    __tablename__ = "tb_outbox"
    __table_args__ = (
        db.Index("ix_tb_outbox_due", "status", "kirim_setelah"),
        db.Index("ix_tb_outbox_klaim", "token_klaim"),
        db.Index("ix_tb_outbox_id_track", "id_track"),
        db.Index("ix_tb_outbox_id_provider", "id_provider"),
        TABLE_ARGS,
    )

    ido = db.Column(db.Integer, primary_key=True, autoincrement=True)
    kanal = db.Column(db.String(15), nullable=False, default="whatsapp")
    tujuan = db.Column(db.String(64), nullable=False)
    pesan = db.Column(LongText, nullable=False, default="")
    media_url = db.Column(db.String(500), nullable=False, default="")
    media_nama = db.Column(db.String(255), nullable=False, default="")
    # Channel-specific extras as JSON, e.g. a Telegram inline keyboard ({"reply_markup": ...}).
    opsi = db.Column(db.Text, nullable=True)
    status = db.Column(db.String(15), nullable=False, default=ANTRI)
    percobaan = db.Column(db.Integer, nullable=False, default=0)
    dibuat = db.Column(PreciseDateTime, nullable=False)
    kirim_setelah = db.Column(PreciseDateTime, nullable=False)
    diklaim = db.Column(PreciseDateTime, nullable=True)
    token_klaim = db.Column(db.String(40), nullable=True)
    # The worker that claimed it (lease.owner_name()): a restarted worker on the same
    # machine takes back at once what a dead one held, as its journal tells.
    pemilik_klaim = db.Column(db.String(100), nullable=True)
    # Set on a queued row when its last attempt is in doubt (a timeout, or a worker that
    # died while sending or before recording it): resent after the usual backoff only,
    # never early, with a note that it may arrive twice. Cleared with the next outcome.
    mulai_kirim = db.Column(PreciseDateTime, nullable=True)
    terkirim = db.Column(PreciseDateTime, nullable=True)
    provider = db.Column(db.String(20), nullable=False, default="")
    id_provider = db.Column(db.String(100), nullable=False, default="")
    galat = db.Column(db.Text, nullable=False, default="")
    # What the message is about: the report, and the row that caused it ("tb_in:12").
    id_track = db.Column(db.String(15), nullable=False, default="")
    sumber = db.Column(db.String(50), nullable=False, default="")
    # Why it went the way it did, e.g. as a template outside the 24-hour window.
    keterangan = db.Column(db.String(255), nullable=False, default="", server_default="")
    # What the provider reported after accepting it (Meta statuses, Fonnte's status webhook).
    status_antar = db.Column(db.String(15), nullable=False, default="", server_default="")
    waktu_antar = db.Column(PreciseDateTime, nullable=True)


class AntarTertunda(db.Model):
    """tb_antar_tertunda: a delivery report for a provider id no outbox row carries yet.

    The provider may report a message delivered before the worker wrote the id it got
    for it. Applied once the worker has written the ids of its batch."""

    __tablename__ = "tb_antar_tertunda"
    __table_args__ = (
        db.Index("ix_tb_antar_tertunda_id_provider", "id_provider"),
        db.Index("ix_tb_antar_tertunda_diterima", "diterima"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    provider = db.Column(db.String(20), nullable=False)
    id_provider = db.Column(db.String(100), nullable=False)
    status_antar = db.Column(db.String(15), nullable=False)
    waktu = db.Column(PreciseDateTime, nullable=True)
    galat = db.Column(db.Text, nullable=False, default="")
    kode = db.Column(db.Integer, nullable=True)
    diterima = db.Column(PreciseDateTime, nullable=False)


class OutboxBagian(db.Model):
    """tb_outbox_bagian: the parts of a message the provider took as several messages (a
    Cloud API text over 4,096 characters), each with its own id and delivery state, so a
    part that failed shows on its outbox row even when the last part arrived."""

    __tablename__ = "tb_outbox_bagian"
    __table_args__ = (
        db.Index("ix_tb_outbox_bagian_ido", "ido"),
        db.Index("ix_tb_outbox_bagian_id_provider", "id_provider"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    ido = db.Column(db.Integer, nullable=False)
    bagian = db.Column(db.Integer, nullable=False)  # 1-based
    provider = db.Column(db.String(20), nullable=False)
    id_provider = db.Column(db.String(100), nullable=False)
    status_antar = db.Column(db.String(15), nullable=False, default="")
    galat = db.Column(db.Text, nullable=False, default="")
