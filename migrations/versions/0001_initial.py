"""The seven tables of the source document, the outgoing queue and bookkeeping.

Written to adopt an existing installation too: a table that already exists (brought over
from the PHP/MySQL system) is kept with its data, and only what it lacks is added.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def S(n):
    return sa.String(n)


def col(name, type_, **kw):
    kw.setdefault("nullable", False)
    return sa.Column(name, type_, **kw)


def tables(meta):
    return [
        sa.Table(
            "tb_pegawai", meta,
            col("id_pegawai", S(15), primary_key=True),
            col("nama_pegawai", S(100)), col("email", S(100)), col("telepon", S(20)),
            col("jurusan", S(100)), col("bagian", S(100)), col("status", S(15)),
            col("keterangan", sa.Text),
            sa.Index("ix_tb_pegawai_telepon", "telepon"), **KW,
        ),
        sa.Table(
            "tb_admin", meta,
            col("id_admin", S(15), primary_key=True),
            col("nama_admin", S(100)), col("level", S(15)), col("deskripsi", sa.Text),
            col("email", S(100)), col("telepon", S(20)), col("username", S(50)),
            col("password", S(255)), col("status", S(15)), col("keterangan", sa.Text),
            sa.Index("ix_tb_admin_telepon", "telepon"),
            sa.Index("ix_tb_admin_username", "username"), **KW,
        ),
        sa.Table(
            "tb_monitoring", meta,
            col("idm", sa.Integer, primary_key=True, autoincrement=True),
            col("tanggal", sa.Date), col("jam", sa.Time), col("kategori", S(30)),
            col("pesan", LongText), col("respon", LongText), col("telepon", S(20)),
            col("id_pegawai", S(15)), col("id_track", S(15)), col("gambar", S(255)),
            col("status", S(15)), col("tag", sa.Integer), col("keterangan", sa.Text),
            col("nama_pelapor", S(100)), col("profil_pelapor", S(200)),
            col("durasi", sa.Integer),
            sa.Index("uq_tb_monitoring_id_track", "id_track", unique=True),
            sa.Index("ix_tb_monitoring_telepon_idm", "telepon", "idm"),
            sa.Index("ix_tb_monitoring_status", "status"), **KW,
        ),
        sa.Table(
            "tb_kerja", meta,
            col("idn", sa.Integer, primary_key=True, autoincrement=True),
            col("tanggal", sa.Date), col("jam", sa.Time), col("pesan", LongText),
            col("respon", LongText), col("id_track", S(15)), col("telepon", S(20)),
            col("keterangan", sa.Text), col("gambar", S(255)), col("id_admin", S(15)),
            sa.Index("ix_tb_kerja_id_track", "id_track"), **KW,
        ),
        sa.Table(
            "tb_in", meta,
            col("idn", sa.Integer, primary_key=True, autoincrement=True),
            col("tanggal", sa.Date), col("jam", sa.Time), col("pesan", LongText),
            col("respon", LongText), col("id_track", S(15)), col("telepon", S(20)),
            col("keterangan", sa.Text), col("id_pesan", S(191), nullable=True),
            sa.Index("uq_tb_in_id_pesan", "id_pesan", unique=True),
            sa.Index("ix_tb_in_telepon", "telepon"),
            sa.Index("ix_tb_in_id_track", "id_track"), **KW,
        ),
        sa.Table(
            "tb_track", meta,
            col("id", sa.Integer, primary_key=True, autoincrement=True),
            col("idm", sa.Integer), col("id_track", S(15)), col("tanggal", sa.Date),
            col("jam", sa.Time), col("catatan", sa.Text),
            sa.Index("ix_tb_track_idm", "idm"), **KW,
        ),
        sa.Table(
            "tb_penugasan", meta,
            col("idp", sa.Integer, primary_key=True, autoincrement=True),
            col("id_admin", S(15)), col("tanggal", sa.Date), col("jam", sa.Time),
            col("idm", sa.Integer), col("id_track", S(15)), col("catatan", sa.Text),
            col("status", S(15)),
            sa.Index("ix_tb_penugasan_idm", "idm"),
            sa.Index("ix_tb_penugasan_id_admin", "id_admin"), **KW,
        ),
        sa.Table(
            "tb_outbox", meta,
            col("ido", sa.Integer, primary_key=True, autoincrement=True),
            col("kanal", S(15)), col("tujuan", S(64)), col("pesan", LongText),
            col("media_url", S(500)), col("media_nama", S(255)), col("status", S(15)),
            col("percobaan", sa.Integer), col("dibuat", Precise),
            col("kirim_setelah", Precise), col("diklaim", Precise, nullable=True),
            col("token_klaim", S(40), nullable=True), col("terkirim", Precise, nullable=True),
            col("provider", S(20)), col("id_provider", S(100)), col("galat", sa.Text),
            col("id_track", S(15)), col("sumber", S(50)),
            sa.Index("ix_tb_outbox_due", "status", "kirim_setelah"),
            sa.Index("ix_tb_outbox_klaim", "token_klaim"),
            sa.Index("ix_tb_outbox_id_track", "id_track"), **KW,
        ),
        sa.Table(
            "tb_nomor", meta,
            col("kunci", S(20), primary_key=True), col("nomor", sa.Integer), **KW,
        ),
        sa.Table(
            "tb_kunci", meta,
            col("nama", S(50), primary_key=True), col("pemilik", S(100)),
            col("berlaku_sampai", Precise), **KW,
        ),
    ]


def _adopt(bind, inspector, table):
    """Add to an existing table the columns and indexes it lacks."""
    have = {c["name"]: c for c in inspector.get_columns(table.name)}
    for column in table.columns:
        if column.name not in have:
            copy = sa.Column(column.name, column.type, nullable=True)
            op.add_column(table.name, copy)
    if table.name == "tb_admin" and bind.dialect.name in ("mysql", "mariadb"):
        # The PHP system kept passwords in varchar(15); a hash needs more.
        op.alter_column("tb_admin", "password", type_=S(255), existing_nullable=False)
    indexes = {i["name"] for i in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name in indexes:
            continue
        if index.unique and _has_duplicates(bind, table.name, index.columns.keys()):
            continue  # imported data that breaks uniqueness is kept, not refused
        op.create_index(index.name, table.name, list(index.columns.keys()), unique=index.unique)


def _has_duplicates(bind, table, columns):
    cols = ", ".join(columns)
    query = f"SELECT {cols} FROM {table} WHERE {columns[0]} IS NOT NULL GROUP BY {cols} HAVING COUNT(*) > 1"
    return bind.execute(sa.text(query)).first() is not None


def upgrade():
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    meta = sa.MetaData()
    for table in tables(meta):
        if inspector.has_table(table.name):
            _adopt(bind, inspector, table)
        else:
            table.create(bind)


def downgrade():
    # The source tables hold the institution's data and may predate this app: kept.
    for name in ("tb_kunci", "tb_nomor", "tb_outbox"):
        op.drop_table(name)
