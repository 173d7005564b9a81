"""Sign-in safety: stored uploads found by their path, a session token per account
(logout, a new password or deactivation end every session), and failed logins kept for
throttling shared by every process.

Revision ID: 0009_auth
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009_auth"
down_revision = "0008"
branch_labels = None
depends_on = None

KW = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}
Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    # /berkas/ serves only a file that a tb_media row names: looked up by its path.
    op.create_index("ix_tb_media_berkas", "tb_media", ["berkas"])
    # NULL for the accounts already there: each gets one at its next login.
    op.add_column("tb_admin", sa.Column("token_sesi", sa.String(64), nullable=True))
    op.create_table(
        "tb_login_gagal",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(50), nullable=False),
        sa.Column("alamat", sa.String(64), nullable=False),
        sa.Column("waktu", Precise, nullable=False),
        sa.Index("ix_tb_login_gagal_alamat", "alamat", "username", "waktu"),
        sa.Index("ix_tb_login_gagal_waktu", "waktu"),
        **KW,
    )


def downgrade():
    op.drop_table("tb_login_gagal")
    op.drop_column("tb_admin", "token_sesi")
    op.drop_index("ix_tb_media_berkas", table_name="tb_media")
