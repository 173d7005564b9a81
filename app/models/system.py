"""Bookkeeping tables: tracking-number counters and the worker lease."""

from ..extensions import db
from .types import TABLE_ARGS, PreciseDateTime


class Nomor(db.Model):
    """tb_nomor: the last sequence number handed out per tracking prefix and month."""

    __tablename__ = "tb_nomor"
    __table_args__ = TABLE_ARGS

    kunci = db.Column(db.String(20), primary_key=True)  # e.g. "BRT2409"
    nomor = db.Column(db.Integer, nullable=False, default=0)


class Kunci(db.Model):
    """tb_kunci: a lease that lets exactly one worker run the scheduled jobs."""

    __tablename__ = "tb_kunci"
    __table_args__ = TABLE_ARGS

    nama = db.Column(db.String(50), primary_key=True)
    pemilik = db.Column(db.String(100), nullable=False, default="")
    berlaku_sampai = db.Column(PreciseDateTime, nullable=False)


class Statistik(db.Model):
    """tb_statistik: aggregates too heavy to count on every page view, kept fresh by the
    worker (and recounted by a page that finds them stale)."""

    __tablename__ = "tb_statistik"
    __table_args__ = TABLE_ARGS

    kunci = db.Column(db.String(50), primary_key=True)
    nilai = db.Column(db.Text, nullable=False, default="")
    diperbarui = db.Column(PreciseDateTime, nullable=False)


class Perangkat(db.Model):
    """tb_perangkat: the health of a WhatsApp sending path (a Fonnte device, the Cloud API
    number), from the provider's device webhook and from send failures in a row."""

    __tablename__ = "tb_perangkat"
    __table_args__ = TABLE_ARGS

    kunci = db.Column(db.String(80), primary_key=True)  # "fonnte:62811…", "cloud:<number id>"
    provider = db.Column(db.String(20), nullable=False, default="")
    perangkat = db.Column(db.String(60), nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="")
    alasan = db.Column(db.Text, nullable=False, default="")
    gagal_beruntun = db.Column(db.Integer, nullable=False, default=0)
    diubah = db.Column(PreciseDateTime, nullable=False)


class Pengaturan(db.Model):
    """tb_pengaturan: settings an Administrator changes in the panel (the letterhead),
    one row per key; a key without a row has its default (app/panel/letterhead.py)."""

    __tablename__ = "tb_pengaturan"
    __table_args__ = TABLE_ARGS

    kunci = db.Column(db.String(50), primary_key=True)
    nilai = db.Column(db.Text, nullable=False, default="")
    diubah = db.Column(PreciseDateTime, nullable=False)
