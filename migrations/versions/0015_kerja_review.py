"""Review of TBO reports: tb_kerja gets the TBO's own id (id_petugas), the review's state
and what the validator decided; id_admin becomes what the source document says it is, the
admin who validated the message.

Existing rows. This app wrote the sender's own id into id_admin; the PHP system wrote the
validator there (default 'ADM01'). A row whose id_admin is the account of its own sender
(same phone) or a TBO account (a TBO validates nothing) was written by this app: that id
moves to id_petugas and id_admin is emptied, since nobody validated the message (it went
straight to the reporter). Any other row keeps its validator in id_admin, and gets as
id_petugas the account whose phone sent it, when exactly one has that phone. Every
existing row is "" in validasi: not under review.

Revision ID: 0015_kerja_review
Revises: 0014_lists_and_letterhead
Create Date: 2026-12-01
"""

import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0015_kerja_review"
down_revision = "0014_lists_and_letterhead"
branch_labels = None
depends_on = None

Precise = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def _columns(table):
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _digits(phone):
    # Enough to compare the numbers of one installation ('0812…' and '62812…' alike);
    # init-db brings tb_admin to the canonical form only after the migrations.
    digits = re.sub(r"[^0-9]", "", phone or "")
    return "62" + digits[1:] if digits.startswith("0") else digits


def upgrade():
    have = _columns("tb_kerja")
    with op.batch_alter_table("tb_kerja") as batch:
        if "id_petugas" not in have:
            batch.add_column(sa.Column("id_petugas", sa.String(15), nullable=False, server_default=""))
        if "validasi" not in have:
            batch.add_column(sa.Column("validasi", sa.String(20), nullable=False, server_default=""))
        if "pesan_pelapor" not in have:
            batch.add_column(sa.Column("pesan_pelapor", LongText, nullable=True))
        if "catatan_validasi" not in have:
            batch.add_column(sa.Column("catatan_validasi", sa.Text, nullable=True))
        if "waktu_validasi" not in have:
            batch.add_column(sa.Column("waktu_validasi", Precise, nullable=True))
    if "ix_tb_kerja_validasi" not in {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("tb_kerja")}:
        op.create_index("ix_tb_kerja_validasi", "tb_kerja", ["validasi"])
    if "id_petugas" not in have:
        _move_senders()


def _move_senders():
    bind = op.get_bind()
    accounts = bind.execute(sa.text("SELECT id_admin, telepon, level FROM tb_admin")).all()
    by_phone = {}
    for id_admin, telepon, _ in accounts:
        by_phone.setdefault(_digits(telepon), []).append(id_admin)
    phone_of = {id_admin: _digits(telepon) for id_admin, telepon, _ in accounts}
    tbo = {id_admin for id_admin, _, level in accounts if (level or "").upper() == "TBO"}
    senders, others = [], []
    for idn, telepon, id_admin in bind.execute(sa.text("SELECT idn, telepon, id_admin FROM tb_kerja")):
        phone = _digits(telepon)
        if id_admin and (id_admin in tbo or (phone and phone_of.get(id_admin) == phone)):
            senders.append({"idn": idn, "petugas": id_admin})
        else:
            found = by_phone.get(phone, []) if phone else []
            if len(found) == 1:
                others.append({"idn": idn, "petugas": found[0]})
    if senders:
        bind.execute(
            sa.text("UPDATE tb_kerja SET id_petugas = :petugas, id_admin = '' WHERE idn = :idn"), senders
        )
    if others:
        bind.execute(sa.text("UPDATE tb_kerja SET id_petugas = :petugas WHERE idn = :idn"), others)


def downgrade():
    # Back to the sender in id_admin where nobody validated.
    op.execute("UPDATE tb_kerja SET id_admin = id_petugas WHERE id_admin = '' AND id_petugas <> ''")
    op.drop_index("ix_tb_kerja_validasi", "tb_kerja")
    with op.batch_alter_table("tb_kerja") as batch:
        for column in ("waktu_validasi", "catatan_validasi", "pesan_pelapor", "validasi", "id_petugas"):
            batch.drop_column(column)
