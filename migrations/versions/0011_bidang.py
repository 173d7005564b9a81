"""Categories of reports (bidang): keywords, a team, automatic assignment; each report's
category. Reports already stored are "Umum" (id_bidang 0, which has no row).

Revision ID: 0011_bidang
Revises: 0010_outbox_claims
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_bidang"
down_revision = "0010_outbox_claims"
branch_labels = None
depends_on = None

KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def upgrade():
    op.create_table(
        "tb_bidang",
        sa.Column("id_bidang", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("nama", sa.String(50), nullable=False, unique=True),
        sa.Column("kata", sa.Text, nullable=False),
        sa.Column("otomatis", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("satu", sa.Boolean, nullable=False, server_default=sa.false()),
        **KW,
    )
    op.create_table(
        "tb_bidang_petugas",
        sa.Column("id_bidang", sa.Integer, primary_key=True),
        sa.Column("id_admin", sa.String(15), primary_key=True),
        sa.Column("urutan", sa.Integer, nullable=False, server_default="0"),
        **KW,
    )
    # The default fills the rows already there (MariaDB adds such a column in place).
    op.add_column("tb_monitoring", sa.Column("id_bidang", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_tb_monitoring_bidang", "tb_monitoring", ["id_bidang", "status"])


def downgrade():
    op.drop_index("ix_tb_monitoring_bidang", table_name="tb_monitoring")
    with op.batch_alter_table("tb_monitoring") as batch:
        batch.drop_column("id_bidang")
    op.drop_table("tb_bidang_petugas")
    op.drop_table("tb_bidang")
