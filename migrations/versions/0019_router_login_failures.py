"""Login attacks on the routers: bursts of failed logins read from each router's /log,
and the number of the last log line read per router.

Revision ID: 0019_router_login_failures
Revises: 0018_event_laporan
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0019_router_login_failures"
down_revision = "0018_event_laporan"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def col(name, type_, *args, **kw):
    kw.setdefault("nullable", False)
    return sa.Column(name, type_, *args, **kw)


def upgrade():
    with op.batch_alter_table("tb_router") as batch:
        batch.add_column(sa.Column("log_terakhir", sa.Integer, nullable=True))
    op.create_table(
        "tb_router_login_gagal",
        col("id", sa.Integer, primary_key=True, autoincrement=True),
        col("id_router", sa.Integer, sa.ForeignKey("tb_router.id_router", ondelete="CASCADE")),
        col("alamat", sa.String(100), server_default=""),
        col("pengguna", sa.String(255), server_default=""),
        col("lewat", sa.String(50), server_default=""),
        col("jumlah", sa.Integer, server_default="0"),
        col("mulai", Precise),
        col("terakhir", Precise),
        col("jejak", sa.Text),
        col("dialertkan", sa.Boolean, server_default=sa.false()),
        col("dicatat", Precise),
        **KW,
    )
    op.create_index("ix_tb_router_login_gagal_alamat", "tb_router_login_gagal", ["id_router", "alamat", "terakhir"])
    op.create_index("ix_tb_router_login_gagal_terakhir", "tb_router_login_gagal", ["terakhir"])


def downgrade():
    op.drop_table("tb_router_login_gagal")
    with op.batch_alter_table("tb_router") as batch:
        batch.drop_column("log_terakhir")
