"""Rows per page chosen by each account, and the panel's own settings (the letterhead of
printed pages and Excel exports) as key-value rows.

Revision ID: 0014_lists_and_letterhead
Revises: 0013_office_notices
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0014_lists_and_letterhead"
down_revision = "0013_office_notices"
branch_labels = None
depends_on = None

KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}
Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    # A server default: the accounts already there (and rows the PHP system still
    # inserts) get the usual 25.
    with op.batch_alter_table("tb_admin") as batch:
        batch.add_column(sa.Column("baris_halaman", sa.Integer, nullable=False, server_default="25"))
    op.create_table(
        "tb_pengaturan",
        sa.Column("kunci", sa.String(50), primary_key=True),
        sa.Column("nilai", sa.Text, nullable=False),
        sa.Column("diubah", Precise, nullable=False),
        **KW,
    )


def downgrade():
    op.drop_table("tb_pengaturan")
    with op.batch_alter_table("tb_admin") as batch:
        batch.drop_column("baris_halaman")
