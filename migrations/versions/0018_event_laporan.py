"""Outage -> job: the report (tb_monitoring.idm) an outage opened, on the tb_event row of
the host going down; NULL while it opened none.

Revision ID: 0018_event_laporan
Revises: 0016_router_clock
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_event_laporan"
down_revision = "0016_router_clock"
branch_labels = None
depends_on = None


def upgrade():
    if "idm" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("tb_event")}:
        with op.batch_alter_table("tb_event") as batch:
            batch.add_column(sa.Column("idm", sa.Integer, nullable=True))


def downgrade():
    with op.batch_alter_table("tb_event") as batch:
        batch.drop_column("idm")
