"""Telegram Bot API sendMessage: alerts and bot answers, as HTML, to one chat each.

Telegram takes about one message a second per chat (short bursts are tolerated); a chat
that gets more is answered 429 with parameters.retry_after, which the outbox honours. A
chat that does not exist (400) or blocked the bot (403) cannot be reached by retrying.
"""

import threading
import time

from ..http import TransportError, post
from .base import Provider


class ChatPacer:
    """A token bucket per chat: a burst, then `per_second`; a 429 holds the chat."""

    def __init__(self):
        self.lock = threading.Lock()
        self.chats = {}  # chat -> (tokens, last refill, held until)

    def wait(self, chat, burst, per_second):
        with self.lock:
            now = time.monotonic()
            tokens, last, held = self.chats.get(chat, (burst, now, 0.0))
            tokens = min(burst, tokens + (now - last) * per_second) - 1
            delay = max(held - now, -tokens / per_second if tokens < 0 else 0.0)
            self.chats[chat] = (tokens, now, held)
        if delay > 0:
            time.sleep(delay)

    def hold(self, chat, seconds):
        with self.lock:
            tokens, last, _ = self.chats.get(chat, (0, time.monotonic(), 0.0))
            self.chats[chat] = (tokens, last, time.monotonic() + seconds)


pacer = ChatPacer()


class TelegramProvider(Provider):
    name = "telegram"

    def send(self, message):
        token = self.config.get("TELEGRAM_BOT_TOKEN")
        if not token:
            # Fixed by configuration, after which what was queued should still go out.
            raise TransportError("TELEGRAM_BOT_TOKEN belum diisi")
        pacer.wait(
            message.tujuan, self.config["TELEGRAM_CHAT_BURST"], self.config["TELEGRAM_CHAT_PER_SECOND"]
        )
        payload = {
            "chat_id": message.tujuan,
            "text": message.pesan,
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }
        payload.update(message.opsi or {})
        url = f"{self.config['TELEGRAM_API_URL'].rstrip('/')}/bot{token}/sendMessage"
        response = post(url, json=payload, timeout=self.config["HTTP_TIMEOUT_SECONDS"])
        try:
            body = response.json()
        except ValueError:
            raise TransportError(f"Jawaban Telegram bukan JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise TransportError("Jawaban Telegram tidak dikenali")
        if body.get("ok") is True:
            return str((body.get("result") or {}).get("message_id", ""))
        raise self._refusal(message.tujuan, response.status_code, body)

    def _refusal(self, chat, status, body):
        code = body.get("error_code") or status
        description = body.get("description") or f"HTTP {status}"
        if code == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after") or 1
            pacer.hold(chat, retry_after)
            return TransportError(
                f"Telegram membatasi pengiriman, coba lagi {retry_after} detik lagi", retry_after=retry_after
            )
        if code in (400, 403):
            return TransportError(f"Telegram menolak: {description}", permanent=True)
        if code in (401, 404):
            return TransportError(f"Token bot Telegram ditolak: {description}")
        return TransportError(f"Telegram menjawab {code}: {description}")
