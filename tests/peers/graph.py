"""A loopback HTTP server that plays Meta's Graph API for the WhatsApp Cloud API.

POST /{version}/{phone_number_id}/messages sends, POST /{version}/{phone_number_id}/media
takes an upload (multipart, as Meta's does) and answers its id, GET /{version}/{media_id} describes a
media file and hands out a download URL that needs the same bearer token and expires after
five minutes, as Meta's do. It refuses what Meta refuses, with Meta's error bodies: a
missing or wrong token (190), bad parameters (100), an unknown template (132001), template
parameters with line breaks, tabs or long runs of spaces (132018), and free-form messages
to a number that has not written within 24 hours (131047). Tests program further failures
with fail_next().
"""

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlparse

from .base import QuietHandler, RecordingServer, form

WINDOW_SECONDS = 24 * 60 * 60
TYPES = ("text", "image", "document", "template")
MAX_TEXT = 4096
MAX_CAPTION = 1024
UPLOAD_TYPES = ("image/jpeg", "image/png", "application/pdf")


class GraphError(Exception):
    """An answer of the form {"error": {...}} with its HTTP status."""

    def __init__(self, status, code, message, details=None, retry_after=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retry_after = retry_after

    def body(self):
        error = {
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": "A" + secrets.token_urlsafe(16),
        }
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def _invalid(details):
    return GraphError(400, 100, "(#100) Invalid parameter", details)


def _unauthorized():
    return GraphError(401, 190, "Invalid OAuth access token.")


def _wamid(to):
    raw = b"\x15\x02\x00\x11\x18\x12" + to.encode() + secrets.token_hex(9).upper().encode()
    return "wamid." + base64.b64encode(raw).decode()


class FakeGraph(RecordingServer):
    def __init__(self, token="graph-token", phone_number_id="1234567890", version="v21.0"):
        self.token = token
        self.phone_number_id = phone_number_id
        self.version = version
        self.templates = {"sarpras_pemberitahuan": {"id"}}
        self.enforce_window = True
        self.media_url_ttl = 300
        self.refused = []  # (body, code) of send calls answered with an error
        self.downloads = 0
        self.uploads = []  # (media id, bytes, mime type) of files we were sent
        self._failures = []  # per coming send call: a GraphError, or None to let it through
        self._last_wrote = {}  # number -> time.time() of its last message to us
        self._media = {}  # media id -> (content, mime type)
        self._urls = {}  # ext -> (media id, time issued, expired)
        self.urls_issued = 0
        self._stale_upcoming = 0
        super().__init__(self._handler())

    @property
    def api_url(self):
        return self.address(f"/{self.version}")

    # -- what the test arranges --------------------------------------------------------

    def customer_wrote(self, number, at=None):
        """The number sent us a message (opens its 24-hour window)."""
        with self.lock:
            self._last_wrote[number] = time.time() if at is None else at

    def fail_next(self, http_status, code, message, count=1, retry_after=None, details=None, after=0):
        """The next `count` send calls are answered with this error (with `after`, only
        once that many calls went through)."""
        error = GraphError(http_status, code, message, details, retry_after)
        with self.lock:
            self._failures.extend([None] * after + [error] * count)

    def add_media(self, media_id, content, mime_type):
        with self.lock:
            self._media[media_id] = (content, mime_type)

    def expire_media_urls(self, upcoming=0):
        """Every download URL handed out so far expires now; with `upcoming`, so do the
        next that many, as if each download started more than five minutes late."""
        with self.lock:
            for ext, (media_id, issued, _) in self._urls.items():
                self._urls[ext] = (media_id, issued, True)
            self._stale_upcoming = upcoming

    # -- what Meta does ----------------------------------------------------------------

    def _authorized(self, headers):
        return headers.get("Authorization") == f"Bearer {self.token}"

    def _send(self, body, authorization):
        with self.lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            raise failure
        if authorization != f"Bearer {self.token}":
            raise _unauthorized()
        self._validate(body)
        to = body["to"]
        with self.arrived:
            message_id = _wamid(to)
            self.received.append(
                {**body, "authorization": authorization, "at": time.time(), "id": message_id}
            )
            self.arrived.notify_all()
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": message_id}],
        }

    def _validate(self, body):
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            raise _invalid("The parameter messaging_product is required and must be 'whatsapp'")
        if not str(body.get("to", "")).isdigit():
            raise _invalid("The parameter to must be a phone number")
        kind = body.get("type", "text")
        if kind not in TYPES:
            raise _invalid(f"Param type must be one of {', '.join(TYPES)}")
        part = body.get(kind)
        if not isinstance(part, dict):
            raise _invalid(f"The parameter {kind} is required")
        if kind == "template":
            return self._validate_template(part)
        if kind == "text":
            self._validate_text(part)
        else:
            self._validate_media(kind, part)
        self._check_window(body["to"])

    def _validate_text(self, part):
        text = part.get("body")
        if not isinstance(text, str) or not text:
            raise _invalid("The parameter text['body'] is required")
        if len(text) > MAX_TEXT:
            raise _invalid(f"Param text['body'] must be at most {MAX_TEXT} characters long")

    def _validate_media(self, kind, part):
        if "id" in part:
            with self.lock:
                if str(part["id"]) not in self._media:
                    raise _invalid(f"Param {kind}['id'] is not a valid media id")
        elif not str(part.get("link", "")).startswith(("http://", "https://")):
            raise _invalid(f"The parameter {kind}['link'] must be a URL")
        if len(part.get("caption") or "") > MAX_CAPTION:
            raise _invalid(f"Param {kind}['caption'] must be at most {MAX_CAPTION} characters long")

    def _validate_template(self, part):
        name = part.get("name")
        language = (part.get("language") or {}).get("code")
        if language not in self.templates.get(name, ()):
            raise GraphError(
                404,
                132001,
                "(#132001) Template name does not exist in the translation",
                f"template name ({name}) does not exist in {language}",
            )
        for component in part.get("components") or []:
            for parameter in component.get("parameters") or []:
                text = parameter.get("text")
                if parameter.get("type") == "text" and (
                    not text or "\n" in text or "\t" in text or "     " in text
                ):
                    raise GraphError(
                        400,
                        132018,
                        "(#132018) There was an issue with the parameters in your template.",
                        "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
                    )

    def _check_window(self, to):
        if not self.enforce_window:
            return
        with self.lock:
            wrote = self._last_wrote.get(to)
        if wrote is None or time.time() - wrote > WINDOW_SECONDS:
            raise GraphError(
                400,
                131047,
                "(#131047) Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the "
                "customer last replied to this number.",
            )

    def _upload(self, content_type, raw, authorization):
        if authorization != f"Bearer {self.token}":
            raise _unauthorized()
        fields, files = form(content_type, raw)
        if fields.get("messaging_product") != "whatsapp":
            raise _invalid("The parameter messaging_product is required and must be 'whatsapp'")
        if "file" not in files:
            raise _invalid("The parameter file is required")
        _, content, part_type = files["file"]
        mime_type = fields.get("type") or part_type
        if mime_type not in UPLOAD_TYPES:
            raise _invalid(f"Param type must be one of {', '.join(UPLOAD_TYPES)}")
        media_id = str(10**15 + secrets.randbelow(10**15))
        with self.lock:
            self._media[media_id] = (content, mime_type)
            self.uploads.append((media_id, content, mime_type))
        return {"id": media_id}

    def _describe_media(self, media_id):
        with self.lock:
            if media_id not in self._media:
                raise GraphError(
                    404,
                    100,
                    f"Unsupported get request. Object with ID '{media_id}' does not exist",
                )
            content, mime_type = self._media[media_id]
            self.urls_issued += 1
            stale = self._stale_upcoming > 0
            if stale:
                self._stale_upcoming -= 1
            ext = self.urls_issued
            self._urls[str(ext)] = (media_id, time.time(), stale)
        return {
            "messaging_product": "whatsapp",
            "url": self.address(f"/whatsapp_business/attachments/?mid={media_id}&ext={ext}"),
            "mime_type": mime_type,
            "sha256": hashlib.sha256(content).hexdigest(),
            "file_size": len(content),
            "id": media_id,
        }

    def _file(self, query):
        """The bytes behind a download URL, or None when it is unknown or expired."""
        media_id, ext = query.get("mid", [""])[0], query.get("ext", [""])[0]
        with self.lock:
            issued = self._urls.get(ext)
            if issued is None or issued[0] != media_id or issued[2]:
                return None
            if time.time() - issued[1] > self.media_url_ttl:
                return None
            self.downloads += 1
            return self._media[media_id]

    def _handler(self):
        peer = self
        messages_path = f"/{peer.version}/{peer.phone_number_id}/messages"
        media_path = f"/{peer.version}/{peer.phone_number_id}/media"

        class Handler(QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if urlparse(self.path).path == media_path:
                    try:
                        upload = peer._upload(
                            self.headers.get("Content-Type"), raw, self.headers.get("Authorization")
                        )
                    except GraphError as error:
                        return self._error(error)
                    return self.reply(200, upload)
                if urlparse(self.path).path != messages_path:
                    return self._error(_invalid(f"Unsupported post request: {self.path}"))
                try:
                    body = json.loads(raw or b"null")
                except ValueError:
                    return self._error(_invalid("The request body is not JSON"))
                try:
                    answer = peer._send(body, self.headers.get("Authorization"))
                except GraphError as error:
                    with peer.lock:
                        peer.refused.append((body, error.code))
                    return self._error(error)
                self.reply(200, answer)

            def do_GET(self):
                url = urlparse(self.path)
                if not peer._authorized(self.headers):
                    return self._error(_unauthorized())
                if url.path == "/whatsapp_business/attachments/":
                    return self._download(parse_qs(url.query))
                prefix = f"/{peer.version}/"
                if not url.path.startswith(prefix) or "/" in url.path[len(prefix) :]:
                    return self._error(_invalid(f"Unsupported get request: {self.path}"))
                try:
                    self.reply(200, peer._describe_media(url.path[len(prefix) :]))
                except GraphError as error:
                    self._error(error)

            def _download(self, query):
                found = peer._file(query)
                if found is None:
                    return self.reply(404, b"URL signature expired", content_type="text/plain")
                content, mime_type = found
                self.reply(200, content, content_type=mime_type)

            def _error(self, error):
                data = json.dumps(error.body()).encode()
                self.send_response(error.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if error.retry_after is not None:
                    self.send_header("Retry-After", str(error.retry_after))
                self.end_headers()
                self.wfile.write(data)

        return Handler
