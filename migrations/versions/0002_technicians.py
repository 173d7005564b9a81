"""Technicians: finish time, rating and comment of a report, who gave an assignment,
and the queue of photos to fetch.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def _columns(table):
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade():
    have = _columns("tb_monitoring")
    with op.batch_alter_table("tb_monitoring") as batch:
        if "waktu_selesai" not in have:
            batch.add_column(sa.Column("waktu_selesai", Precise, nullable=True))
        if "nilai" not in have:
            batch.add_column(sa.Column("nilai", sa.Integer, nullable=False, server_default="0"))
        if "komentar" not in have:
            batch.add_column(sa.Column("komentar", sa.Text, nullable=True))
    if "pemberi" not in _columns("tb_penugasan"):
        with op.batch_alter_table("tb_penugasan") as batch:
            batch.add_column(sa.Column("pemberi", sa.String(15), nullable=False, server_default=""))
    op.create_table(
        "tb_media",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("nama_asli", sa.String(255), nullable=False),
        sa.Column("tabel", sa.String(20), nullable=False),
        sa.Column("id_baris", sa.Integer, nullable=False),
        sa.Column("status", sa.String(15), nullable=False),
        sa.Column("percobaan", sa.Integer, nullable=False),
        sa.Column("coba_setelah", Precise, nullable=False),
        sa.Column("berkas", sa.String(255), nullable=False),
        sa.Column("galat", sa.Text, nullable=False),
        sa.Column("dibuat", Precise, nullable=False),
        sa.Index("ix_tb_media_due", "status", "coba_setelah"),
        **KW,
    )


def downgrade():
    op.drop_table("tb_media")
    with op.batch_alter_table("tb_penugasan") as batch:
        batch.drop_column("pemberi")
    with op.batch_alter_table("tb_monitoring") as batch:
        batch.drop_column("komentar")
        batch.drop_column("nilai")
        batch.drop_column("waktu_selesai")
