"""Meta's WhatsApp Cloud API: POST {API}/{phone number id}/messages with a bearer token.

Meta delivers free-form messages only within 24 hours of the recipient's last message to
us (the customer-service window); outside it only an approved template goes through. Our
template has one body parameter, which carries the message text flattened to one line, as
Meta requires of template parameters. Errors come as {"error": {"code": ...}}: rate limits
and trouble on Meta's side are retried, every other refusal would only be repeated.
"""

import math
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import PurePosixPath
from urllib.parse import quote, urlparse
from zoneinfo import ZoneInfo

from ... import clock
from .. import attachments
from ..http import TransportError, download, get, post, too_large
from .base import Accepted, Provider

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PARAMETER = 1000
WINDOW = timedelta(hours=24)
REENGAGEMENT = 131047
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})
# Refusals that configuration fixes: where the admin should look.
HINTS = {
    190: "periksa WHATSAPP_ACCESS_TOKEN",
    132000: "jumlah parameter template WHATSAPP_TEMPLATE_NAME harus satu",
    132001: "periksa WHATSAPP_TEMPLATE_NAME dan WHATSAPP_TEMPLATE_LANGUAGE",
    133010: "nomor WHATSAPP_PHONE_NUMBER_ID belum terdaftar di Cloud API",
}
# Sent as a document (with its file name) rather than as an image.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".csv"})
# Meta's media download URLs live five minutes; an expired one answers 404.
EXPIRED_URL_STATUSES = (404, 410)
# A Retry-After beyond this is taken as a mistake rather than parking the row for days.
MAX_RETRY_AFTER = 24 * 60 * 60


class MetaRefusal(TransportError):
    """Meta answered with an error object; `code` is Meta's error code."""

    def __init__(self, message, code, **kwargs):
        super().__init__(message, **kwargs)
        self.code = code


@dataclass(frozen=True)
class MediaFile:
    content: bytes
    mime_type: str


class CloudProvider(Provider):
    name = "cloud"
    needs_last_inbound = True

    def send(self, message):
        graph = Graph.from_config(self.config)
        messages_path = f"{_required(self.config, 'WHATSAPP_PHONE_NUMBER_ID')}/messages"
        reason = self._template_reason(message)
        if reason:
            return self._send_template(graph, messages_path, message, reason)
        try:
            return _send_free_form(graph, messages_path, message, self.config)
        except MetaRefusal as error:
            # Our record of the window can be seconds off Meta's (tb_in holds when we stored
            # the message, not when Meta received it); the template goes at once instead.
            if error.code != REENGAGEMENT:
                raise
            reason = f"Meta menolak pesan bebas (kode {REENGAGEMENT}, di luar jendela 24 jam)"
            return self._send_template(graph, messages_path, message, reason)

    def _template_reason(self, message):
        """Why this message must go as a template, or None when it may go free-form."""
        asked = (message.opsi or {}).get("template")
        if asked:
            return asked if isinstance(asked, str) else "Template diminta"
        last = message.last_inbound
        if last is None:
            return "Di luar jendela 24 jam (nomor ini belum pernah menulis)"
        if clock.utcnow() - last >= WINDOW:
            # Not clock.to_local: sends run on the dispatcher's threads, outside the app context.
            local = last.replace(tzinfo=UTC).astimezone(ZoneInfo(self.config["TIMEZONE"]))
            return f"Di luar jendela 24 jam (pesan terakhir dari nomor ini {local:%d-%m-%Y %H:%M})"
        return None

    def _send_template(self, graph, messages_path, message, reason):
        name = self.config["WHATSAPP_TEMPLATE_NAME"]
        language = self.config["WHATSAPP_TEMPLATE_LANGUAGE"]
        line = one_line(message.pesan)
        parameter = _shorten(line, MAX_PARAMETER) or "-"
        template = {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
        }
        message_id = graph.send(messages_path, message.tujuan, "template", template)
        notes = [f"{reason} — dikirim dengan template {name} ({language})"]
        if len(line) > MAX_PARAMETER:
            notes.append(f"isi dipotong menjadi {MAX_PARAMETER} karakter")
        if message.media_url:
            notes.append("lampiran tidak ikut terkirim")
        return Accepted(message_id, "; ".join(notes))


# opsi keys: how many parts of a split message Meta already took, so a retry goes on from
# there instead of sending them twice, and the ids Meta gave them.
PARTS_SENT = "bagian_terkirim"
PART_IDS = "id_bagian"


def _send_free_form(graph, messages_path, message, config):
    uploaded_id = None
    if attachments.is_local(message.media_url):
        # Meta cannot fetch from our server (it may not be public): the file goes up first.
        media_path = f"{config['WHATSAPP_PHONE_NUMBER_ID']}/media"
        uploaded_id = graph.upload(media_path, attachments.read(message.media_url, config))
    parts, notes = free_form_parts(message, uploaded_id)
    if not parts:
        raise TransportError("Pesan kosong: tidak ada teks maupun lampiran", permanent=True)
    done = int((message.opsi or {}).get(PARTS_SENT) or 0)
    ids = [str(i) for i in (message.opsi or {}).get(PART_IDS) or []][:done]
    for index, (kind, content) in enumerate(parts):
        if index < done:
            continue
        try:
            ids.append(graph.send(messages_path, message.tujuan, kind, content))
        except TransportError as error:
            if index:
                error.args = (
                    f"{error} (bagian {index + 1} dari {len(parts)}; yang sebelumnya sudah terkirim)",
                )
                error.progress = {PARTS_SENT: index, PART_IDS: ids}
            raise
    if len(parts) == 1:
        return Accepted(ids[-1], "; ".join(notes))
    notes.insert(0, f"Dikirim dalam {len(parts)} bagian")
    return Accepted(ids[-1], "; ".join(notes), part_ids=tuple(ids))


def free_form_parts(message, uploaded_id=None):
    """[(type, content)] that carry the message inside the window, and notes for the admin.
    uploaded_id: Meta's id for our own file, uploaded before sending."""
    texts = split_text(message.pesan)
    parts, notes = [], []
    if message.media_url:
        kind = _media_kind(message)
        media = {"id": uploaded_id} if uploaded_id else {"link": message.media_url}
        if kind == "document" and message.media_nama:
            media["filename"] = message.media_nama
        if texts and len(message.pesan) <= MAX_CAPTION:
            media["caption"] = message.pesan
            texts = []
        elif texts:
            notes.append(f"teks lebih dari {MAX_CAPTION} karakter, dikirim terpisah setelah lampiran")
        parts.append((kind, media))
    parts += [("text", {"preview_url": False, "body": text}) for text in texts]
    return parts, notes


def _media_kind(message):
    name = message.media_nama or urlparse(message.media_url).path
    return "document" if PurePosixPath(name).suffix.lower() in DOCUMENT_SUFFIXES else "image"


def split_text(text, limit=MAX_TEXT):
    """The text in parts of at most `limit` characters, in order.

    A part ends at a line break in its second half if there is one, else at a space there,
    else at the limit: breaking earlier would only make more, shorter messages.
    """
    parts = []
    while len(text) > limit:
        end, start = _cut(text, limit)
        parts.append(text[:end].rstrip())
        text = text[start:].lstrip("\n")
    parts.append(text)
    return [part for part in parts if part.strip()]


def _cut(text, limit):
    """Where the first part of `text` ends and the rest begins."""
    for separator in ("\n", " "):
        at = text.rfind(separator, limit // 2, limit + 1)
        if at != -1:
            return at, at + 1
    return limit, limit


def one_line(text):
    """The text as a template parameter can carry it: Meta refuses line breaks, tabs and
    more than four spaces in a row there. Lines are kept apart by " | "."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return " | ".join(line for line in lines if line)


def _shorten(text, limit):
    """Cut from the middle: our texts open with who and which report and end with what to
    do (#start, #selesai ...); a long complaint in between is what can go."""
    if len(text) <= limit:
        return text
    tail = (limit - 1) // 3
    return text[: limit - 1 - tail] + "…" + text[len(text) - tail :]


def fetch_media(media_id, config, max_bytes):
    """A file someone sent us, by the media id in Meta's webhook.

    The id is exchanged for a download URL that needs the token too and lives five minutes;
    one that expired before the download began is asked for again, once.
    """
    graph = Graph.from_config(config)
    path = quote(str(media_id), safe="")
    info = graph.get(path)
    if _size(info) > max_bytes:
        raise TransportError(too_large(max_bytes), permanent=True)
    try:
        content = graph.download(info, max_bytes)
    except TransportError as error:
        if error.status not in EXPIRED_URL_STATUSES:
            raise
        info = graph.get(path)
        content = graph.download(info, max_bytes)
    return MediaFile(content, str(info.get("mime_type") or ""))


def _size(info):
    """Meta's file_size, when it gives one: a file past the limit is refused unread."""
    try:
        return int(info.get("file_size") or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Graph:
    """Calls to Meta's Graph API under one token."""

    api: str
    token: str
    timeout: float

    @classmethod
    def from_config(cls, config):
        token = _required(config, "WHATSAPP_ACCESS_TOKEN")
        return cls(config["WHATSAPP_API_URL"].rstrip("/"), token, config["HTTP_TIMEOUT_SECONDS"])

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def send(self, messages_path, to, kind, content):
        """Send one message; return Meta's id for it (wamid...)."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind}
        payload[kind] = content
        response = post(
            f"{self.api}/{messages_path}", json=payload, headers=self.headers, timeout=self.timeout
        )
        messages = _answer(response).get("messages") or [{}]
        return str(messages[0].get("id") or "")

    def upload(self, media_path, attachment):
        """POST /{phone-number-id}/media: our file to Meta; returns its media id."""
        try:
            response = post(
                f"{self.api}/{media_path}",
                data={"messaging_product": "whatsapp", "type": attachment.mime_type},
                files={"file": attachment.as_upload()},
                headers=self.headers,
                timeout=self.timeout,
            )
        except TransportError as error:
            error.in_doubt = False  # only our file went up: the person got nothing yet
            raise
        media_id = str(_answer(response).get("id") or "")
        if not media_id:
            raise TransportError("Jawaban Meta atas unggahan lampiran tidak memuat id")
        return media_id

    def get(self, path):
        return _answer(get(f"{self.api}/{path}", headers=self.headers, timeout=self.timeout))

    def download(self, info, max_bytes):
        url = info.get("url")
        if not url:
            raise TransportError("Jawaban Meta tidak memuat URL berkas")
        return download(url, headers=self.headers, timeout=self.timeout, max_bytes=max_bytes)


def _required(config, name):
    value = config.get(name)
    if not value:
        # Fixed by configuration, after which what was queued should still go out.
        raise TransportError(f"{name} belum diisi")
    return value


def _answer(response):
    """The JSON body of a successful answer; anything else as a TransportError."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        # Something in between (a proxy, Meta's own outage page) answered.
        raise TransportError(f"Jawaban Meta bukan JSON (HTTP {status})", status=status) from None
    error = body.get("error") if isinstance(body, dict) else None
    if status < 400 and isinstance(body, dict) and error is None:
        return body
    if not isinstance(error, dict):
        raise TransportError(f"Jawaban Meta tidak dikenali (HTTP {status})", status=status)
    raise _refusal(status, error, response.headers)


def _refusal(status, error, headers):
    code = error.get("code")
    transient = status >= 500 or status == 429 or code in TRANSIENT_CODES
    return MetaRefusal(
        _describe(code, error),
        code,
        permanent=not transient,
        retry_after=_retry_after(headers) if transient else None,
        status=status,
    )


def _describe(code, error):
    """E.g. "Meta menolak (kode 131026): Message undeliverable — <details>"."""
    subcode = error.get("error_subcode")
    label = f"kode {code}, subkode {subcode}" if subcode else f"kode {code}"
    message = str(error.get("message") or "tanpa keterangan")
    data = error.get("error_data")
    details = str(data.get("details") or "") if isinstance(data, dict) else ""
    text = f"Meta menolak ({label}): {message}"
    if details and details not in message:
        text += f" — {details}"
    if code in HINTS:
        text += f" ({HINTS[code]})"
    return text


def _retry_after(headers):
    try:
        seconds = float(headers.get("Retry-After", ""))
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    return min(seconds, MAX_RETRY_AFTER)
