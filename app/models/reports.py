"""The report tables of the source document, with its names and columns.

Every column has a default so that inserts also work on tables brought over from the PHP
installation, where each column is NOT NULL without a default.
"""

from ..extensions import db
from .types import TABLE_ARGS, LongText, PreciseDateTime


class Monitoring(db.Model):
    """tb_monitoring: one row per report."""

    __tablename__ = "tb_monitoring"
    __table_args__ = (
        db.Index("ix_tb_monitoring_telepon_idm", "telepon", "idm"),
        db.Index("ix_tb_monitoring_status", "status"),
        # The list's category filter, and the dashboard's counts per category and status.
        db.Index("ix_tb_monitoring_bidang", "id_bidang", "status"),
        TABLE_ARGS,
    )

    idm = db.Column(db.Integer, primary_key=True, autoincrement=True)
    tanggal = db.Column(db.Date, nullable=False)
    jam = db.Column(db.Time, nullable=False)
    kategori = db.Column(db.String(30), nullable=False, default="Request")
    pesan = db.Column(LongText, nullable=False, default="")
    respon = db.Column(LongText, nullable=False, default="")
    telepon = db.Column(db.String(20), nullable=False, default="")
    id_pegawai = db.Column(db.String(15), nullable=False, default="")
    id_track = db.Column(db.String(15), nullable=False, unique=True)
    gambar = db.Column(db.String(255), nullable=False, default="")
    status = db.Column(db.String(15), nullable=False, default="Baru")
    tag = db.Column(db.Integer, nullable=False, default=0)
    keterangan = db.Column(db.Text, nullable=False, default="")
    nama_pelapor = db.Column(db.String(100), nullable=False, default="")
    profil_pelapor = db.Column(db.String(200), nullable=False, default="")
    # Seconds from the report to Selesai; 0 until then.
    durasi = db.Column(db.Integer, nullable=False, default=0)
    # Added columns: when the work was finished (auto-close counts from it), and the
    # reporter's rating (1-5, 0 when none) and comment at confirmation.
    waktu_selesai = db.Column(PreciseDateTime, nullable=True)
    nilai = db.Column(db.Integer, nullable=False, default=0)
    komentar = db.Column(db.Text, nullable=False, default="")
    # Added column: the report's category (tb_bidang), 0 for "Umum". `kategori` above keeps
    # the source document's meaning, the kind of message ("Request").
    id_bidang = db.Column(db.Integer, nullable=False, default=0, server_default="0")


# tb_kerja.validasi: "" for a message that needed no review (review off, #start, a
# refusal, rows from before review existed); the others are the review's states.
VALIDASI_MENUNGGU = "Menunggu validasi"
VALIDASI_DISETUJUI = "Disetujui"
VALIDASI_DIKEMBALIKAN = "Dikembalikan"


class Kerja(db.Model):
    """tb_kerja: one row per TBO message about a report.

    id_admin is what the source document says: the admin who validated the message (empty
    when nobody did); the TBO who sent it is id_petugas."""

    __tablename__ = "tb_kerja"
    __table_args__ = (
        db.Index("ix_tb_kerja_id_track", "id_track"),
        # The menu's badge counts the waiting ones on every page.
        db.Index("ix_tb_kerja_validasi", "validasi"),
        TABLE_ARGS,
    )

    idn = db.Column(db.Integer, primary_key=True, autoincrement=True)
    tanggal = db.Column(db.Date, nullable=False)
    jam = db.Column(db.Time, nullable=False)
    pesan = db.Column(LongText, nullable=False, default="")
    respon = db.Column(LongText, nullable=False, default="")
    id_track = db.Column(db.String(15), nullable=False, default="")
    telepon = db.Column(db.String(20), nullable=False, default="")
    keterangan = db.Column(db.Text, nullable=False, default="")
    gambar = db.Column(db.String(255), nullable=False, default="")
    id_admin = db.Column(db.String(15), nullable=False, default="")
    # Added columns: the TBO who sent it; the review's state; the text for the reporter
    # (the TBO's note, replaced by the validator's correction: pesan keeps the original);
    # the note of a send-back; when it was validated.
    id_petugas = db.Column(db.String(15), nullable=False, default="")
    validasi = db.Column(db.String(20), nullable=False, default="")
    pesan_pelapor = db.Column(LongText, nullable=False, default="")
    catatan_validasi = db.Column(db.Text, nullable=False, default="")
    waktu_validasi = db.Column(PreciseDateTime, nullable=True)

    @property
    def reaches_reporter(self):
        """Whether what it carries (its photo) may go on to the reporter."""
        return self.validasi in ("", VALIDASI_DISETUJUI)


class PesanMasuk(db.Model):
    """tb_in: one row per incoming WhatsApp message, whatever it is."""

    __tablename__ = "tb_in"
    __table_args__ = (
        db.Index("ix_tb_in_telepon", "telepon"),
        db.Index("ix_tb_in_id_track", "id_track"),
        TABLE_ARGS,
    )

    idn = db.Column(db.Integer, primary_key=True, autoincrement=True)
    tanggal = db.Column(db.Date, nullable=False)
    jam = db.Column(db.Time, nullable=False)
    pesan = db.Column(LongText, nullable=False, default="")
    respon = db.Column(LongText, nullable=False, default="")
    id_track = db.Column(db.String(15), nullable=False, default="")
    telepon = db.Column(db.String(20), nullable=False, default="")
    keterangan = db.Column(db.Text, nullable=False, default="")
    # Added column: the provider's id of the delivery ("fonnte:<device>:<inboxid>"), so a
    # delivery repeated by the provider is stored once. NULL when the provider gave none.
    id_pesan = db.Column(db.String(191), nullable=True, unique=True)


class Track(db.Model):
    """tb_track: one row per progress line shown to the reporter."""

    __tablename__ = "tb_track"
    __table_args__ = (db.Index("ix_tb_track_idm", "idm"), TABLE_ARGS)

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    idm = db.Column(db.Integer, nullable=False)
    id_track = db.Column(db.String(15), nullable=False, default="")
    tanggal = db.Column(db.Date, nullable=False)
    jam = db.Column(db.Time, nullable=False)
    catatan = db.Column(db.Text, nullable=False, default="")


class Penugasan(db.Model):
    """tb_penugasan: one row per assignment."""

    __tablename__ = "tb_penugasan"
    __table_args__ = (
        db.Index("ix_tb_penugasan_idm", "idm"),
        db.Index("ix_tb_penugasan_id_admin", "id_admin"),
        TABLE_ARGS,
    )

    idp = db.Column(db.Integer, primary_key=True, autoincrement=True)
    id_admin = db.Column(db.String(15), nullable=False, default="")
    tanggal = db.Column(db.Date, nullable=False)
    jam = db.Column(db.Time, nullable=False)
    idm = db.Column(db.Integer, nullable=False)
    id_track = db.Column(db.String(15), nullable=False, default="")
    catatan = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(15), nullable=False, default="Penugasan")
    # Added column: the admin who gave the assignment (id_admin is the one who does it).
    pemberi = db.Column(db.String(15), nullable=False, default="")


class Media(db.Model):
    """tb_media: a photo or document that came with a message, to fetch before the
    provider forgets it (Fonnte keeps files 30 minutes), then kept under instance/uploads."""

    __tablename__ = "tb_media"
    __table_args__ = (
        db.Index("ix_tb_media_due", "status", "coba_setelah"),
        # /berkas/ looks a file up by its path (app/panel/uploads.py).
        db.Index("ix_tb_media_berkas", "berkas"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    url = db.Column(db.String(1000), nullable=False)
    nama_asli = db.Column(db.String(255), nullable=False, default="")
    # Where the file belongs: tb_monitoring (a report's photo) or tb_kerja (a TBO's photo).
    tabel = db.Column(db.String(20), nullable=False)
    id_baris = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(15), nullable=False, default="antri")  # antri, selesai, gagal
    percobaan = db.Column(db.Integer, nullable=False, default=0)
    coba_setelah = db.Column(PreciseDateTime, nullable=False)
    berkas = db.Column(db.String(255), nullable=False, default="")
    galat = db.Column(db.Text, nullable=False, default="")
    dibuat = db.Column(PreciseDateTime, nullable=False)
