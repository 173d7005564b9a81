"""tb_bidang: the categories of reports, with their keywords and their team.

A report's category is tb_monitoring.id_bidang; 0 is "Umum" (no keyword matched), which
has no row, so an empty database stays empty (restore) and Umum can never be removed.
"""

from ..extensions import db
from .types import TABLE_ARGS

UMUM_ID = 0
UMUM = "Umum"


class Bidang(db.Model):
    __tablename__ = "tb_bidang"
    __table_args__ = TABLE_ARGS

    id_bidang = db.Column(db.Integer, primary_key=True, autoincrement=True)
    nama = db.Column(db.String(50), nullable=False, unique=True)
    # As typed, separated by commas ("wifi, internet, ac bocor"); app/reporting/matching.py.
    kata = db.Column(db.Text, nullable=False, default="")
    # Each new report of the category is assigned to its team at once.
    otomatis = db.Column(db.Boolean, nullable=False, default=False)
    # ... to the one member with the fewest open jobs rather than to the whole team.
    satu = db.Column(db.Boolean, nullable=False, default=False)


class BidangPetugas(db.Model):
    """tb_bidang_petugas: a category's team, TBO or Staf, in order (the first leads)."""

    __tablename__ = "tb_bidang_petugas"
    __table_args__ = TABLE_ARGS

    id_bidang = db.Column(db.Integer, primary_key=True)
    id_admin = db.Column(db.String(15), primary_key=True)
    urutan = db.Column(db.Integer, nullable=False, default=0)
