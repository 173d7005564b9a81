"""Which Telegram chats may use the bot and receive alerts: TELEGRAM_ADMIN_CHAT_IDS and
chats allowed in the panel. Others are refused, and their attempts are kept for the panel."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..database import insert_or_ignore
from ..extensions import db
from ..models.netmon import DIIZINKAN, DITOLAK, TelegramChat

REFUSED_ANSWER_EVERY = timedelta(minutes=1)


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
    """Record a refused message (in the caller's write transaction); True when the chat
    should be told it is refused: at its first message, and again only after a quiet
    minute, so a chat writing fast (or a script) is not answered message for message."""
    now = clock.utcnow()
    row = _locked_row(str(chat_id))
    tell = row.terakhir is None or row.terakhir <= now - REFUSED_ANSWER_EVERY
    row.nama = (name or "")[:100]
    row.ditolak = (row.ditolak or 0) + 1
    row.pesan_terakhir = (text or "")[:500]
    row.terakhir = now
    return tell


def set_status(chat_id, status, name=None, for_reports=None):
    row = _locked_row(str(chat_id))
    row.status = status
    if name is not None:
        row.nama = name[:100]
    if status != DIIZINKAN:
        # Allowed again later, it gets reports only when marked again.
        row.laporan = False
    elif for_reports is not None:
        row.laporan = for_reports
    return row


class NotAllowed(ValueError):
    pass


def mark_for_reports(chat_id, on):
    """Whether an allowed chat also gets each new WhatsApp report."""
    query = select(TelegramChat).where(TelegramChat.chat_id == str(chat_id)).with_for_update()
    row = db.session.execute(query).scalar_one_or_none()
    if row is None or (on and row.status != DIIZINKAN):
        raise NotAllowed(f"Chat {chat_id} belum diizinkan: izinkan dahulu, lalu tandai untuk laporan.")
    row.laporan = on
    return row


def report_chats():
    """The allowed chats marked for reports."""
    query = (
        select(TelegramChat.chat_id)
        .where(TelegramChat.laporan.is_(True), TelegramChat.status == DIIZINKAN)
        .order_by(TelegramChat.chat_id)
    )
    return db.session.execute(query).scalars().all()


def _locked_row(chat_id):
    """The chat's row, created if new, held by this transaction: a new chat's first
    messages arrive together, handled on parallel threads, and none may be lost."""
    insert_or_ignore(
        TelegramChat,
        chat_id=chat_id,
        nama="",
        status=DITOLAK,
        ditolak=0,
        pesan_terakhir="",
        dibuat=clock.utcnow(),
    )
    query = select(TelegramChat).where(TelegramChat.chat_id == chat_id).with_for_update()
    return db.session.execute(query, execution_options={"populate_existing": True}).scalar_one()
