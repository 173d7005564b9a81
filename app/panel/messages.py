"""Incoming messages (tb_in) and the outgoing queue as the panel lists them."""

from datetime import timedelta

from sqlalchemy import func, or_, select

from .. import audit, clock
from ..extensions import db
from ..messaging import outbox
from ..models import Outbox, PesanMasuk
from ..models.outbox import ANTAR_DIBACA, ANTAR_DITERIMA, ANTAR_GAGAL, ANTAR_TERKIRIM, GAGAL, KIRIM, TERKIRIM
from ..phone import normalize_phone
from ..reporting import texts
from . import paging


def incoming(q="", page=1, per_page=paging.DEFAULT):
    where = []
    if q:
        like = f"%{q}%"
        where.append(
            or_(
                PesanMasuk.pesan.like(like),
                PesanMasuk.telepon.like(like),
                PesanMasuk.id_track.like(like),
                PesanMasuk.respon.like(like),
                PesanMasuk.keterangan.like(like),
            )
        )
    return paging.of_query(
        select(PesanMasuk).where(*where).order_by(PesanMasuk.idn.desc()),
        select(func.count()).select_from(PesanMasuk).where(*where),
        page,
        per_page,
    )


STATES = {"antri": "Antri", KIRIM: "Sedang dikirim", TERKIRIM: "Terkirim", GAGAL: "Gagal"}
DELIVERY_STATES = {
    ANTAR_TERKIRIM: "Di server WhatsApp",
    ANTAR_DITERIMA: "Diterima",
    ANTAR_DIBACA: "Dibaca",
    ANTAR_GAGAL: "Gagal diantar",
}


def outgoing(status="", q="", page=1, antar="", per_page=paging.DEFAULT):
    where = []
    if status in STATES:
        where.append(Outbox.status == status)
    if antar in DELIVERY_STATES:
        where.append(Outbox.status_antar == antar)
    if q:
        like = f"%{q}%"
        where.append(or_(Outbox.tujuan.like(like), Outbox.pesan.like(like), Outbox.id_track.like(like)))
    return paging.of_query(
        select(Outbox).where(*where).order_by(Outbox.ido.desc()),
        select(func.count()).select_from(Outbox).where(*where),
        page,
        per_page,
    )


def retry(ido):
    row = db.session.get(Outbox, ido)
    if row is None or row.status != GAGAL:
        raise ValueError("Hanya pesan yang gagal yang dapat dikirim ulang.")
    outbox.requeue(row)
    audit.record("kirim ulang", "outbox", ido, {"status": GAGAL}, {"status": row.status})


RETRY_ALL_WINDOW = timedelta(days=1)


def retry_all_failed():
    """Every message that failed within the last day goes back to the queue: after the
    cause is mended (a new token, the device reconnected) nobody should click each one."""
    since = clock.utcnow() - RETRY_ALL_WINDOW
    rows = (
        db.session.execute(select(Outbox).where(Outbox.status == GAGAL, Outbox.dibuat >= since))
        .scalars()
        .all()
    )
    for row in rows:
        outbox.requeue(row)
    if rows:
        audit.record("kirim ulang semua yang gagal", "outbox", "", None, {"jumlah": len(rows)})
    return len(rows)


def send_test(tujuan):
    phone = normalize_phone(tujuan)
    if phone is None:
        raise ValueError("Nomor tujuan tidak valid.")
    ido = outbox.enqueue(phone, texts.test_message(), sumber="uji")
    audit.record("kirim pesan uji", "outbox", ido, None, {"tujuan": phone})
    return ido
