"""Fonnte's send API: POST form fields with the device token in Authorization.

Fonnte answers HTTP 200 with {"status": false, "reason": ...} when it refuses a message,
so the body decides, not the status code.
"""

from .. import attachments
from ..http import TransportError, post
from .base import Provider

# Reasons after which sending the same message again cannot succeed.
PERMANENT_REASONS = (
    "token invalid",
    "invalid token",
    "unknown user",
    "invalid device",
    "target invalid",
    "invalid target",
    "input invalid",
    "url invalid",
    "file format not supported",
    "file size",
    "json format invalid",
)


class FonnteProvider(Provider):
    name = "fonnte"

    def send(self, message):
        token = self.config.get("FONNTE_TOKEN")
        if not token:
            # A missing token is fixed by configuration, after which queued messages
            # should still go out: not permanent.
            raise TransportError("FONNTE_TOKEN belum diisi")
        fields = {"target": message.tujuan, "message": message.pesan, "countryCode": "0"}
        files = None
        if attachments.is_local(message.media_url):
            # Fonnte takes the file itself in the `file` field: no public URL needed.
            files = {"file": attachments.read(message.media_url, self.config).as_upload()}
        elif message.media_url:
            fields["url"] = message.media_url
            fields["filename"] = message.media_nama
        response = post(
            self.config["FONNTE_API_URL"],
            data=fields,
            files=files,
            headers={"Authorization": token},
            timeout=self.config["HTTP_TIMEOUT_SECONDS"],
        )
        if response.status_code >= 500 or response.status_code == 429:
            raise TransportError(f"Fonnte menjawab HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise TransportError(f"Jawaban Fonnte bukan JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise TransportError("Jawaban Fonnte tidak dikenali")
        if body.get("status") is True:
            ids = body.get("id") or []
            return str(ids[0]) if isinstance(ids, list) and ids else str(ids or "")
        reason = str(body.get("reason") or body.get("detail") or f"HTTP {response.status_code}")
        permanent = any(word in reason.lower() for word in PERMANENT_REASONS)
        if response.status_code in (401, 403):
            permanent = True
        raise TransportError(f"Fonnte menolak: {reason}", permanent=permanent)
