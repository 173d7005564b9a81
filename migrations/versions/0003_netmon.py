"""Network monitor: routers, watched hosts, their events, Telegram chats, and channel
extras (a Telegram inline keyboard) on queued messages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def col(name, type_, *args, **kw):
    kw.setdefault("nullable", False)
    return sa.Column(name, type_, *args, **kw)


def upgrade():
    op.create_table(
        "tb_router",
        col("id_router", sa.Integer, primary_key=True, autoincrement=True),
        col("nama", sa.String(50), unique=True),
        col("host", sa.String(255)),
        col("port", sa.Integer),
        col("username", sa.String(100)),
        col("password", sa.Text),
        col("tls", sa.Boolean),
        col("aktif", sa.Boolean),
        col("status", sa.String(10)),
        col("sejak", Precise, nullable=True),
        col("terakhir_dilihat", Precise, nullable=True),
        col("galat", sa.Text),
        col("sumber", sa.String(10)),
        col("dibuat", Precise),
        **KW,
    )
    op.create_table(
        "tb_host",
        col("id_host", sa.Integer, primary_key=True, autoincrement=True),
        col("id_router", sa.Integer, sa.ForeignKey("tb_router.id_router", ondelete="CASCADE"), nullable=True),
        col("sumber", sa.String(10)),
        col("host", sa.String(255)),
        col("port", sa.Integer),
        col("komentar", sa.String(255)),
        col("status", sa.String(10)),
        col("sejak", Precise, nullable=True),
        col("diubah", Precise, nullable=True),
        col("terakhir_dilihat", Precise, nullable=True),
        col("aktif", sa.Boolean),
        col("id_induk", sa.Integer, sa.ForeignKey("tb_host.id_host", ondelete="SET NULL"), nullable=True),
        col("pemeliharaan_mulai", Precise, nullable=True),
        col("pemeliharaan_selesai", Precise, nullable=True),
        col("ulang_menit", sa.Integer),
        col("pengingat_terakhir", Precise, nullable=True),
        col("diakui_oleh", sa.String(100)),
        col("diakui_pada", Precise, nullable=True),
        col("dibuat", Precise),
        sa.UniqueConstraint("id_router", "sumber", "host", "port", name="uq_tb_host_target"),
        sa.Index("ix_tb_host_host", "host"),
        **KW,
    )
    op.create_table(
        "tb_event",
        col("id_event", sa.Integer, primary_key=True, autoincrement=True),
        col("jenis", sa.String(10)),
        col("id_host", sa.Integer, sa.ForeignKey("tb_host.id_host", ondelete="CASCADE"), nullable=True),
        col("id_router", sa.Integer, sa.ForeignKey("tb_router.id_router", ondelete="CASCADE"), nullable=True),
        col("status_lama", sa.String(10)),
        col("status_baru", sa.String(10)),
        col("waktu", Precise),
        col("durasi", sa.Integer, nullable=True),
        col("sumber", sa.String(10)),
        col("dialertkan", sa.Boolean),
        col("keterangan", sa.String(255)),
        col("dicatat", Precise),
        sa.Index("ix_tb_event_host_waktu", "id_host", "waktu"),
        sa.Index("ix_tb_event_waktu", "waktu"),
        **KW,
    )
    op.create_table(
        "tb_telegram_chat",
        col("chat_id", sa.String(32), primary_key=True),
        col("nama", sa.String(100)),
        col("status", sa.String(10)),
        col("ditolak", sa.Integer),
        col("pesan_terakhir", sa.Text),
        col("terakhir", Precise, nullable=True),
        col("dibuat", Precise),
        **KW,
    )
    with op.batch_alter_table("tb_outbox") as batch:
        batch.add_column(sa.Column("opsi", sa.Text, nullable=True))


def downgrade():
    with op.batch_alter_table("tb_outbox") as batch:
        batch.drop_column("opsi")
    op.drop_table("tb_telegram_chat")
    op.drop_table("tb_event")
    op.drop_table("tb_host")
    op.drop_table("tb_router")
