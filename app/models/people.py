"""tb_pegawai (reporters) and tb_admin (Administrator, Staf, TBO): the source's columns."""

import hmac
import secrets
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .types import TABLE_ARGS, PreciseDateTime

AKTIF = "Aktif"
LEVELS = ("Administrator", "Staf", "TBO")
# How werkzeug's hashes begin; anything else in tb_admin.password is plain text.
HASH_PREFIXES = ("scrypt:", "pbkdf2:")
# tb_admin.notifikasi_laporan: how an Administrator or Staf hears of new reports.
EVERY_REPORT = "setiap"
DAILY_SUMMARY = "harian"
NO_NOTICE = "tidak"
REPORT_NOTICES = {
    EVERY_REPORT: "Setiap laporan baru",
    DAILY_SUMMARY: "Ringkasan harian pukul 07:00",
    NO_NOTICE: "Tidak menerima",
}


class Pegawai(db.Model):
    __tablename__ = "tb_pegawai"
    __table_args__ = TABLE_ARGS

    id_pegawai = db.Column(db.String(15), primary_key=True)
    nama_pegawai = db.Column(db.String(100), nullable=False, default="")
    email = db.Column(db.String(100), nullable=False, default="")
    telepon = db.Column(db.String(20), nullable=False, default="", index=True)
    jurusan = db.Column(db.String(100), nullable=False, default="")
    bagian = db.Column(db.String(100), nullable=False, default="")
    status = db.Column(db.String(15), nullable=False, default=AKTIF)
    keterangan = db.Column(db.Text, nullable=False, default="")

    @property
    def profil(self):
        """`jurusan bagian`, as the replies show it (e.g. 'TIF IT')."""
        return self.profile_of(self.jurusan, self.bagian)

    @staticmethod
    def profile_of(jurusan, bagian):
        return " ".join(part for part in (jurusan, bagian) if part)


class Admin(UserMixin, db.Model):
    __tablename__ = "tb_admin"
    __table_args__ = TABLE_ARGS

    id_admin = db.Column(db.String(15), primary_key=True)
    nama_admin = db.Column(db.String(100), nullable=False, default="")
    level = db.Column(db.String(15), nullable=False, default="Staf")
    deskripsi = db.Column(db.Text, nullable=False, default="")
    email = db.Column(db.String(100), nullable=False, default="")
    telepon = db.Column(db.String(20), nullable=False, default="", index=True)
    username = db.Column(db.String(50), nullable=False, default="", index=True)
    # A hash. An installation brought over from the PHP system may still hold plain text
    # here; check_password() accepts it once and the caller re-hashes it.
    password = db.Column(db.String(255), nullable=False, default="")
    status = db.Column(db.String(15), nullable=False, default=AKTIF)
    keterangan = db.Column(db.Text, nullable=False, default="")
    # Part of every session cookie (get_id): a new one ends every session of the account.
    # NULL for an account brought over from the PHP system until its first login.
    token_sesi = db.Column(db.String(64), nullable=True)
    # Rows per page of every panel list, as this account last chose (app/panel/paging.py).
    baris_halaman = db.Column(db.Integer, nullable=False, default=25, server_default="25")
    # Added columns: how this Administrator or Staf hears of new reports (REPORT_NOTICES),
    # and the day their last daily summary was queued, so a job run twice sends it once.
    notifikasi_laporan = db.Column(db.String(10), nullable=False, default=EVERY_REPORT)
    ringkasan_terakhir = db.Column(db.Date, nullable=True)

    def get_id(self):
        return f"{self.id_admin}:{self.token_sesi or ''}"

    def has_session_token(self, token):
        return bool(self.token_sesi) and hmac.compare_digest(self.token_sesi, token)

    def end_sessions(self):
        """Every cookie issued so far stops opening the panel (logout, new password,
        deactivation)."""
        self.token_sesi = secrets.token_urlsafe(32)

    @validates("status")
    def _status_changed(self, _key, value):
        if value != self.status:
            self.end_sessions()
        return value

    @property
    def is_active(self):
        return self.status == AKTIF

    def set_password(self, plain):
        self.password = generate_password_hash(plain, method=_hash_method())
        self.end_sessions()

    def check_password(self, plain):
        stored = self.password or ""
        if stored.startswith(HASH_PREFIXES):
            return check_password_hash(stored, plain)
        # Plain text, brought over: it takes as long as a hashed one to refuse.
        check_no_password(plain)
        return bool(stored) and hmac.compare_digest(stored.encode(), plain.encode())


def _hash_method():
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


@cache
def _dummy_hash(method):
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def check_no_password(plain):
    """Spend what checking a password costs, for a login whose account does not exist (or
    holds plain text): without it the answer comes a hash check sooner, which tells an
    attacker which usernames exist."""
    check_password_hash(_dummy_hash(_hash_method()), plain)


class LoginGagal(db.Model):
    """tb_login_gagal: failed logins of the last LOGIN_FAILURE_WINDOW_SECONDS (and the
    ones being checked right now), counted by every web process alike
    (app/login_throttle.py)."""

    __tablename__ = "tb_login_gagal"
    __table_args__ = (
        db.Index("ix_tb_login_gagal_alamat", "alamat", "username", "waktu"),
        db.Index("ix_tb_login_gagal_waktu", "waktu"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    # As typed, trimmed and in lower case (MariaDB compares usernames without case).
    username = db.Column(db.String(50), nullable=False, default="")
    # The client's address (X-Forwarded-For only behind PROXY_COUNT proxies).
    alamat = db.Column(db.String(64), nullable=False, default="")
    waktu = db.Column(PreciseDateTime, nullable=False)
