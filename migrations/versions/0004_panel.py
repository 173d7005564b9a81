"""Admin panel: the audit log, and indexes the reports list sorts and filters by.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}


def upgrade():
    op.create_table(
        "tb_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("waktu", Precise, nullable=False),
        sa.Column("id_admin", sa.String(15), nullable=False),
        sa.Column("aksi", sa.String(50), nullable=False),
        sa.Column("objek", sa.String(30), nullable=False),
        sa.Column("id_objek", sa.String(30), nullable=False),
        sa.Column("sebelum", sa.Text, nullable=False),
        sa.Column("sesudah", sa.Text, nullable=False),
        sa.Index("ix_tb_audit_waktu", "waktu"),
        sa.Index("ix_tb_audit_objek", "objek", "id_objek"),
        **KW,
    )
    existing = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("tb_monitoring")}
    for name, columns in (
        ("ix_tb_monitoring_tanggal", ["tanggal", "idm"]),
        ("ix_tb_monitoring_status_idm", ["status", "idm"]),
        ("ix_tb_monitoring_kategori", ["kategori"]),
    ):
        if name not in existing:
            op.create_index(name, "tb_monitoring", columns)


def downgrade():
    for name in ("ix_tb_monitoring_kategori", "ix_tb_monitoring_status_idm", "ix_tb_monitoring_tanggal"):
        op.drop_index(name, "tb_monitoring")
    op.drop_table("tb_audit")
