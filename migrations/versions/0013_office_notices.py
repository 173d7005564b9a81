"""The office told of new reports: each account's choice (every report, a daily summary,
none) with the day its last summary went out, and Telegram chats marked for reports.

Revision ID: 0013_office_notices
Revises: 0011_bidang
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_office_notices"
down_revision = "0011_bidang"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tb_admin") as batch:
        # Every account already there is told of each new report, as a new one is.
        batch.add_column(sa.Column("notifikasi_laporan", sa.String(10), nullable=False, server_default="setiap"))
        batch.add_column(sa.Column("ringkasan_terakhir", sa.Date, nullable=True))
    with op.batch_alter_table("tb_telegram_chat") as batch:
        batch.add_column(sa.Column("laporan", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("tb_telegram_chat") as batch:
        batch.drop_column("laporan")
    with op.batch_alter_table("tb_admin") as batch:
        batch.drop_column("ringkasan_terakhir")
        batch.drop_column("notifikasi_laporan")
