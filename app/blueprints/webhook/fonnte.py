"""Fonnte's webhook body -> InboundMessage. Pure: a dict in, a message or an error out."""

from ...messaging import delivery
from ...messaging.inbound import InboundMessage
from ...phone import normalize_phone

# How senders write "no group member" besides leaving it empty: a private chat.
NO_MEMBER = ("0", "false", "null", "none")


class NotAMessage(ValueError):
    pass


def _text(payload, key):
    value = payload.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise NotAMessage(f"kolom '{key}' tidak valid")
    return str(value).strip() if key != "message" else str(value)


def parse(payload):
    if not isinstance(payload, dict):
        raise NotAMessage("isi permintaan bukan objek JSON atau form")
    if "sender" not in payload or ("message" not in payload and "url" not in payload):
        raise NotAMessage("bukan pesan: kolom 'sender' dan 'message' wajib ada")

    raw_sender = _text(payload, "sender")
    member = _text(payload, "member")
    if member.lower() in NO_MEMBER:
        member = ""
    device = normalize_phone(_text(payload, "device"))
    is_group = bool(member) or raw_sender.endswith("@g.us")
    # In a group, 'sender' is the group and 'member' the person who wrote.
    sender = normalize_phone(member if member else raw_sender)
    if sender is None:
        if is_group:
            sender = raw_sender[:20]
        else:
            raise NotAMessage("nomor pengirim tidak valid")

    inboxid = _text(payload, "inboxid")
    delivery_id = None
    if inboxid and inboxid not in ("0", "null", "None"):
        delivery_id = f"fonnte:{device or ''}:{inboxid}"[:191]

    return InboundMessage(
        provider="fonnte",
        sender=sender,
        text=_text(payload, "message"),
        name=_text(payload, "name"),
        delivery_id=delivery_id,
        is_group=is_group,
        group=raw_sender if is_group else "",
        from_self=bool(device) and not is_group and device == sender,
        media_url=_text(payload, "url"),
        media_filename=_text(payload, "filename"),
        media_extension=_text(payload, "extension"),
    )


def kind_of(payload):
    """Fonnte posts three kinds of body, to one URL or three: a message, a message's
    delivery status (id + state), a device's connection (status connect/disconnect)."""
    if not isinstance(payload, dict) or "sender" in payload:
        return "message"
    if "id" in payload and ("state" in payload or "stateid" in payload):
        return "status"
    if str(payload.get("status", "")).lower() in ("connect", "disconnect"):
        return "device"
    return "message"


def status_report(payload):
    """Fonnte's message-status body -> a delivery report (None: nothing new to say)."""
    state = delivery.fonnte_state(_text(payload, "state"), _text(payload, "status"))
    message_id = _text(payload, "id")
    if state is None or not message_id:
        return None
    error = ""
    if state == delivery.ANTAR_GAGAL:
        error = f"Fonnte: gagal diantar ({_text(payload, 'state') or _text(payload, 'status')})"
    return delivery.Report(provider="fonnte", provider_id=message_id, state=state, error=error)


def device_event(payload):
    """Fonnte's device body -> (device, connected, reason)."""
    device = normalize_phone(_text(payload, "device")) or _text(payload, "device")[:60] or "-"
    connected = _text(payload, "status").lower() == "connect"
    return device, connected, _text(payload, "reason")
