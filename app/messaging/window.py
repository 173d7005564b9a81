"""When each WhatsApp number last wrote to us: the start of Meta's 24-hour window."""

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import PesanMasuk


def last_inbound(numbers):
    """{number: naive UTC time of its latest message in tb_in} for those that ever wrote."""
    numbers = sorted(set(numbers))
    if not numbers:
        return {}
    latest = (
        select(func.max(PesanMasuk.idn)).where(PesanMasuk.telepon.in_(numbers)).group_by(PesanMasuk.telepon)
    )
    rows = db.session.execute(
        select(PesanMasuk.telepon, PesanMasuk.tanggal, PesanMasuk.jam).where(PesanMasuk.idn.in_(latest))
    )
    # tb_in keeps the source's local date and time columns.
    return {telepon: clock.to_utc(clock.local_at(tanggal, jam)) for telepon, tanggal, jam in rows}
