"""Dashboard speed: a table of precounted aggregates and the indexes the panel's counts use.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}
INDEXES = [
    ("tb_monitoring", "ix_tb_monitoring_tag", ["tag"]),
    ("tb_penugasan", "ix_tb_penugasan_admin_idm_status", ["id_admin", "idm", "status"]),
]


def upgrade():
    op.create_table(
        "tb_statistik",
        sa.Column("kunci", sa.String(50), primary_key=True),
        sa.Column("nilai", sa.Text, nullable=False),
        sa.Column("diperbarui", Precise, nullable=False),
        **KW,
    )
    inspector = sa.inspect(op.get_bind())
    for table, name, columns in INDEXES:
        if name not in {i["name"] for i in inspector.get_indexes(table)}:
            op.create_index(name, table, columns)


def downgrade():
    for table, name, _ in INDEXES:
        op.drop_index(name, table)
    op.drop_table("tb_statistik")
