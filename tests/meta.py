"""Meta WhatsApp Cloud API webhook bodies in the documented shapes, and a signed POST."""

import hashlib
import hmac
import itertools
import json

APP_SECRET = "meta-app-secret"
VERIFY_TOKEN = "meta-verify-token"
PHONE_NUMBER_ID = "1234567890"
DISPLAY_NUMBER = "6281100000000"
_ids = itertools.count(1)


def wamid():
    return f"wamid.HBgNNjI4MTIxMTQ3NjA2ORUCABIYFjNFQjA{next(_ids):06d}QkE2RjNEQUQA"


def envelope(messages=(), statuses=(), contacts=(), field="messages"):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
    }
    if contacts:
        value["contacts"] = list(contacts)
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": field}]}],
    }


def contact(number, name):
    return {"profile": {"name": name}, "wa_id": number}


def text(number, body, message_id=None, timestamp="1732338000"):
    return {
        "from": number,
        "id": message_id or wamid(),
        "timestamp": timestamp,
        "type": "text",
        "text": {"body": body},
    }


def image(number, media_id, caption=None, message_id=None):
    part = {"mime_type": "image/jpeg", "sha256": "a" * 44, "id": media_id}
    if caption is not None:
        part["caption"] = caption
    return {
        "from": number,
        "id": message_id or wamid(),
        "timestamp": "1732338000",
        "type": "image",
        "image": part,
    }


def document(number, media_id, filename, caption=None):
    part = {"filename": filename, "mime_type": "application/pdf", "sha256": "b" * 44, "id": media_id}
    if caption is not None:
        part["caption"] = caption
    return {"from": number, "id": wamid(), "timestamp": "1732338000", "type": "document", "document": part}


def of_type(number, kind, body=None):
    message = {"from": number, "id": wamid(), "timestamp": "1732338000", "type": kind}
    if body is not None:
        message[kind] = body
    return message


def system(number, body="User A changed from 6281211111111 to 6281222222222"):
    return of_type(number, "system", {"body": body, "wa_id": "6281222222222", "type": "user_changed_number"})


def status(message_id, state, recipient, timestamp="1732338060", errors=None):
    item = {"id": message_id, "status": state, "timestamp": timestamp, "recipient_id": recipient}
    if state in ("sent", "delivered"):
        item["conversation"] = {"id": "c0nv3rsat10n", "origin": {"type": "service"}}
        item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    if errors:
        item["errors"] = errors
    return item


def error(code, title, details=""):
    return {"code": code, "title": title, "message": title, "error_data": {"details": details}}


def signature(body, secret=APP_SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload, secret=APP_SECRET, header=None):
    """POST a notification as Meta does: the raw JSON body signed with the app secret."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if header is not False:
        headers["X-Hub-Signature-256"] = header or signature(body, secret)
    return client.post("/webhook/whatsapp", data=body, headers=headers)
