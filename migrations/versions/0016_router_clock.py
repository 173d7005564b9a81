"""Each router's own clock: tb_router gets the zone /system/clock reports (time-zone-name and
gmt-offset), how far the router's clock was from the server's when last read, when that
was, and whether a clock that is off has been told on Telegram.

Existing rows: the clock is unknown (read at the next poll), nothing told.

Revision ID: 0016_router_clock
Revises: 0015_kerja_review
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0016_router_clock"
down_revision = "0015_kerja_review"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
COLUMNS = ("zona_waktu", "selisih_gmt", "selisih_jam", "jam_dibaca", "jam_dikabarkan")


def upgrade():
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("tb_router")}
    with op.batch_alter_table("tb_router") as batch:
        if "zona_waktu" not in have:
            batch.add_column(sa.Column("zona_waktu", sa.String(64), nullable=False, server_default=""))
        if "selisih_gmt" not in have:
            batch.add_column(sa.Column("selisih_gmt", sa.Integer, nullable=True))
        if "selisih_jam" not in have:
            batch.add_column(sa.Column("selisih_jam", sa.Integer, nullable=True))
        if "jam_dibaca" not in have:
            batch.add_column(sa.Column("jam_dibaca", Precise, nullable=True))
        if "jam_dikabarkan" not in have:
            batch.add_column(
                sa.Column("jam_dikabarkan", sa.Boolean, nullable=False, server_default=sa.false())
            )


def downgrade():
    with op.batch_alter_table("tb_router") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
