"""Whose claim an outbox row is under, and whether its send was on the wire.

A worker that dies leaves rows claimed: the owner lets a restarted worker on the same
machine take them back at once, and the start time tells the rows that may have reached
the provider (in doubt: resent after the usual backoff only) from those never tried.

Revision ID: 0010_outbox_claims
Revises: 0009_auth
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0010_outbox_claims"
down_revision = "0009_auth"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    with op.batch_alter_table("tb_outbox") as batch:
        batch.add_column(sa.Column("pemilik_klaim", sa.String(100), nullable=True))
        batch.add_column(sa.Column("mulai_kirim", Precise, nullable=True))


def downgrade():
    with op.batch_alter_table("tb_outbox") as batch:
        batch.drop_column("mulai_kirim")
        batch.drop_column("pemilik_klaim")
