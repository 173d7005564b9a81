"""Delivery reports that arrive before the worker recorded the message's provider id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def upgrade():
    op.create_table(
        "tb_antar_tertunda",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("id_provider", sa.String(100), nullable=False),
        sa.Column("status_antar", sa.String(15), nullable=False),
        sa.Column("waktu", Precise, nullable=True),
        sa.Column("galat", sa.Text, nullable=False),
        sa.Column("kode", sa.Integer, nullable=True),
        sa.Column("diterima", Precise, nullable=False),
        sa.Index("ix_tb_antar_tertunda_id_provider", "id_provider"),
        sa.Index("ix_tb_antar_tertunda_diterima", "diterima"),
        **KW,
    )


def downgrade():
    op.drop_table("tb_antar_tertunda")
