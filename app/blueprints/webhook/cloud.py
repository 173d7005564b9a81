"""Meta's WhatsApp Cloud API webhook body -> incoming messages and delivery statuses.

Pure: a dict in, lists out. One POST may carry several entries, changes, messages and
statuses; what is not for us (another field, another product) is skipped, not refused,
since Meta retries a refused delivery for days.
"""

import hashlib
import hmac
from dataclasses import dataclass

from ...messaging import delivery, media
from ...messaging.inbound import InboundMessage
from ...phone import normalize_phone

# Kinds we cannot read, with the name the polite reply gives them.
UNSUPPORTED = {
    "audio": "pesan suara",
    "voice": "pesan suara",
    "video": "video",
    "sticker": "stiker",
    "location": "lokasi",
    "contacts": "kontak",
    "order": "pesanan",
    "unsupported": "pesan jenis ini",
    "unknown": "pesan jenis ini",
}


WHATSAPP_OBJECT = "whatsapp_business_account"


class NotAWebhook(ValueError):
    pass


@dataclass(frozen=True)
class StatusUpdate:
    """One entry of `statuses[]`: what happened to a message we sent."""

    provider_id: str  # the wamid we got when sending
    status: str  # sent | delivered | read | failed (as Meta says it)
    timestamp: int | None
    recipient: str
    error_code: int | None = None
    error_text: str = ""


@dataclass(frozen=True)
class Parsed:
    messages: list
    statuses: list


def parse(payload, phone_number_id=None):
    """Messages and statuses for our number (all numbers when phone_number_id is None):
    one Meta app may serve several business numbers, and another one's messages are not
    ours to answer."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise NotAWebhook("bukan notifikasi WhatsApp Cloud API: 'entry' tidak ada")
    messages, statuses = [], []
    if payload.get("object", WHATSAPP_OBJECT) != WHATSAPP_OBJECT:
        # One Meta app may also subscribe to Page or Instagram events: not ours.
        return Parsed(messages, statuses)
    for value in _values(payload):
        metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
        if phone_number_id and str(metadata.get("phone_number_id") or phone_number_id) != str(
            phone_number_id
        ):
            continue
        names = _profile_names(value.get("contacts"))
        for item in _dicts(value.get("messages")):
            message = _message(item, names)
            if message is not None:
                messages.append(message)
        for item in _dicts(value.get("statuses")):
            status = _status(item)
            if status is not None:
                statuses.append(status)
    return Parsed(messages, statuses)


def _dicts(items):
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _values(payload):
    for entry in _dicts(payload["entry"]):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field", "messages") == "messages" and isinstance(value, dict):
                yield value


def _profile_names(contacts):
    names = {}
    for contact in _dicts(contacts):
        profile = contact.get("profile") if isinstance(contact.get("profile"), dict) else {}
        if contact.get("wa_id"):
            names[str(contact["wa_id"])] = str(profile.get("name") or "")
    return names


def _body(item, kind):
    part = item.get(kind)
    return part if isinstance(part, dict) else {}


def _message(item, names):
    sender_raw = str(item.get("from") or "")
    sender = normalize_phone(sender_raw)
    wamid = str(item.get("id") or "")
    if sender is None or not wamid:
        return None
    kind = str(item.get("type") or "unknown")
    common = dict(
        provider="cloud",
        sender=sender,
        name=names.get(sender_raw, "") or names.get(sender, ""),
        delivery_id=f"cloud:{wamid}"[:191],
    )
    if kind == "text":
        return InboundMessage(text=str(_body(item, "text").get("body") or ""), **common)
    if kind in ("image", "document"):
        part = _body(item, kind)
        media_id = str(part.get("id") or "")
        return InboundMessage(
            text=str(part.get("caption") or ""),
            media_url=f"{media.CLOUD_MEDIA}{media_id}" if media_id else "",
            media_filename=str(part.get("filename") or ""),
            media_extension=str(part.get("mime_type") or ""),
            **common,
        )
    if kind == "button":
        return InboundMessage(text=str(_body(item, "button").get("text") or ""), **common)
    if kind == "interactive":
        reply = _body(item, "interactive")
        chosen = _body(reply, "button_reply") or _body(reply, "list_reply")
        return InboundMessage(text=str(chosen.get("title") or ""), **common)
    if kind == "reaction":
        emoji = str(_body(item, "reaction").get("emoji") or "")
        return InboundMessage(text=emoji, ignored=f"Reaksi {emoji} (tidak dibalas)".strip(), **common)
    if kind == "system":
        notice = str(_body(item, "system").get("body") or "")
        return InboundMessage(text=notice, ignored="Pesan sistem WhatsApp (tidak dibalas)", **common)
    label = UNSUPPORTED.get(kind, UNSUPPORTED["unknown"])
    return InboundMessage(text=f"[{kind}]", unsupported=label, **common)


def _status(item):
    wamid = str(item.get("id") or "")
    status = str(item.get("status") or "")
    if not wamid or not status:
        return None
    try:
        timestamp = int(item.get("timestamp"))
    except (TypeError, ValueError):
        timestamp = None
    code, text = None, ""
    errors = _dicts(item.get("errors"))
    if errors:
        error = errors[0]
        details = (
            error.get("error_data", {}).get("details") if isinstance(error.get("error_data"), dict) else ""
        )
        code = error.get("code") if isinstance(error.get("code"), int) else None
        words = error.get("title") or error.get("message") or "tanpa keterangan"
        text = f"Meta: gagal diantar (kode {code}): {words}" + (f" — {details}" if details else "")
    return StatusUpdate(wamid, status, timestamp, str(item.get("recipient_id") or ""), code, text)


def signature_ok(secret, body, header):
    """Meta signs the raw body: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 with the app secret>."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def delivery_reports(statuses):
    """Meta's statuses as delivery reports; kinds we do not track ('deleted') are left out."""
    reports = []
    for status in statuses:
        state = delivery.meta_state(status.status)
        if state is not None:
            reports.append(
                delivery.Report(
                    provider="cloud",
                    provider_id=status.provider_id,
                    state=state,
                    at=delivery.from_unix(status.timestamp),
                    error=status.error_text,
                    error_code=status.error_code,
                )
            )
    return reports
