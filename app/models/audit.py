from ..extensions import db
from .types import TABLE_ARGS, PreciseDateTime


class Audit(db.Model):
    """tb_audit: every admin action, with what it changed."""

    __tablename__ = "tb_audit"
    __table_args__ = (
        db.Index("ix_tb_audit_waktu", "waktu"),
        db.Index("ix_tb_audit_objek", "objek", "id_objek"),
        TABLE_ARGS,
    )

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    waktu = db.Column(PreciseDateTime, nullable=False)
    id_admin = db.Column(db.String(15), nullable=False)
    aksi = db.Column(db.String(50), nullable=False)
    objek = db.Column(db.String(30), nullable=False)
    id_objek = db.Column(db.String(30), nullable=False, default="")
    sebelum = db.Column(db.Text, nullable=False, default="")
    sesudah = db.Column(db.Text, nullable=False, default="")
