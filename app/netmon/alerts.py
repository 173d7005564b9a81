"""From decisions to queued Telegram messages: texts, recipients, buttons.

Everything here runs inside the caller's transaction, so an event and its alert are
stored together or not at all; the outbox sends them.
"""

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..messaging import outbox
from ..models.netmon import DIIZINKAN, DOWN, Host, TelegramChat
from . import rules, texts

KANAL = "telegram"
ACK_PREFIX = "ack:"
MAX_BUTTONS = 8


to_local = clock.to_local


def said():
    return texts.words(current_app.config.get("NETMON_ALERT_STYLE"))


def allowed_chats():
    configured = current_app.config.get("TELEGRAM_ADMIN_CHAT_IDS") or []
    in_panel = db.session.execute(
        select(TelegramChat.chat_id).where(TelegramChat.status == DIIZINKAN).order_by(TelegramChat.chat_id)
    ).scalars()
    return rules.recipients(configured, list(in_panel))


def ack_keyboard(hosts):
    rows = [
        [{"text": texts.ACK_BUTTON.format(label=h.label)[:60], "callback_data": f"{ACK_PREFIX}{h.id_host}"}]
        for h in hosts[:MAX_BUTTONS]
    ]
    return {"reply_markup": {"inline_keyboard": rows}} if rows else None


def broadcast(messages, sumber, buttons_for=()):
    """Queue messages to every allowed chat; returns how many chats were addressed."""
    chats = allowed_chats()
    parts = texts.join(messages)
    keyboard = ack_keyboard(list(buttons_for))
    for chat in chats:
        for index, part in enumerate(parts):
            extra = keyboard if index == len(parts) - 1 else None
            outbox.enqueue(chat, part, kanal=KANAL, sumber=sumber, opsi=extra)
    return len(chats)


def _router_name(host):
    return host.router.nama if host.router is not None else texts.builtin_check(host.sumber)


def _pair(host):
    return (host.label, host.host if not host.port else f"{host.host}:{host.port}")


def host_alerts(decision, events):
    """Queue the alerts of a decision; `events` maps host id -> its new Event row."""
    messages, down_hosts, words = [], [], said()
    for alert in decision.alerts:
        event = events[alert.change.host_id]
        host = event.host
        children = [_pair(events[c.host_id].host) for c in alert.children]
        label, address = _pair(host)
        at = to_local(event.waktu)
        if alert.change.new == DOWN:
            first_seen = alert.change.old == rules.UNKNOWN
            messages.append(
                texts.alert_down(label, address, _router_name(host), at, children, first_seen, words)
            )
            down_hosts.append(host)
        else:
            still = [_pair(db.session.get(Host, i)) for i in alert.still_down]
            messages.append(
                texts.alert_up(label, address, _router_name(host), at, event.durasi, children, still, words)
            )
    if not messages:
        return 0
    first = events[decision.alerts[0].change.host_id]
    return broadcast(messages, f"tb_event:{first.id_event}", down_hosts)
