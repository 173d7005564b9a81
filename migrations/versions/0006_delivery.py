"""WhatsApp delivery states, why a message went as a template, and device health.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def outbox_columns():
    return [
        sa.Column("keterangan", sa.String(255), nullable=False, server_default=""),
        sa.Column("status_antar", sa.String(15), nullable=False, server_default=""),
        sa.Column("waktu_antar", Precise, nullable=True),
    ]


def upgrade():
    inspector = sa.inspect(op.get_bind())
    present = {c["name"] for c in inspector.get_columns("tb_outbox")}
    with op.batch_alter_table("tb_outbox") as batch:
        for column in outbox_columns():
            if column.name not in present:
                batch.add_column(column)
    if "ix_tb_outbox_id_provider" not in {i["name"] for i in inspector.get_indexes("tb_outbox")}:
        op.create_index("ix_tb_outbox_id_provider", "tb_outbox", ["id_provider"])
    op.create_table(
        "tb_perangkat",
        sa.Column("kunci", sa.String(80), primary_key=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("perangkat", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("gagal_beruntun", sa.Integer, nullable=False),
        sa.Column("diubah", Precise, nullable=False),
        **KW,
    )


def downgrade():
    op.drop_table("tb_perangkat")
    op.drop_index("ix_tb_outbox_id_provider", "tb_outbox")
    with op.batch_alter_table("tb_outbox") as batch:
        for column in reversed(outbox_columns()):
            batch.drop_column(column.name)
