"""The parts of a message sent as several (Cloud API texts over 4,096 characters), each
with its provider id and delivery state.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def upgrade():
    op.create_table(
        "tb_outbox_bagian",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ido", sa.Integer, nullable=False),
        sa.Column("bagian", sa.Integer, nullable=False),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("id_provider", sa.String(100), nullable=False),
        sa.Column("status_antar", sa.String(15), nullable=False),
        sa.Column("galat", sa.Text, nullable=False),
        sa.Index("ix_tb_outbox_bagian_ido", "ido"),
        sa.Index("ix_tb_outbox_bagian_id_provider", "id_provider"),
        **KW,
    )


def downgrade():
    op.drop_table("tb_outbox_bagian")
