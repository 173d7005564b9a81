"""Which Telegram chats may use the bot and receive alerts: TELEGRAM_ADMIN_CHAT_IDS and
chats allowed in the panel. Others are refused, and their attempts are kept for the panel."""

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models.netmon import DIIZINKAN, DITOLAK, TelegramChat


def all_chats():
    """Allowed chats first, then refused ones, each by id."""
    query = select(TelegramChat).order_by(TelegramChat.status, TelegramChat.chat_id)
    return db.session.execute(query).scalars().all()


def is_allowed(chat_id):
    chat_id = str(chat_id)
    if chat_id in (current_app.config.get("TELEGRAM_ADMIN_CHAT_IDS") or []):
        return True
    row = db.session.get(TelegramChat, chat_id)
    return row is not None and row.status == DIIZINKAN


def note_refused(chat_id, name, text):
    """Record a refused message (in the caller's transaction)."""
    now = clock.utcnow()
    row = db.session.get(TelegramChat, str(chat_id))
    if row is None:
        row = TelegramChat(chat_id=str(chat_id), status=DITOLAK, ditolak=0, dibuat=now)
        db.session.add(row)
    row.nama = (name or "")[:100]
    row.ditolak = (row.ditolak or 0) + 1
    row.pesan_terakhir = (text or "")[:500]
    row.terakhir = now
    return row


def set_status(chat_id, status, name=None):
    now = clock.utcnow()
    row = db.session.get(TelegramChat, str(chat_id))
    if row is None:
        row = TelegramChat(chat_id=str(chat_id), ditolak=0, pesan_terakhir="", nama="", dibuat=now)
        db.session.add(row)
    row.status = status
    if name is not None:
        row.nama = name[:100]
    return row
