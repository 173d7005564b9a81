"""A loopback HTTP server that plays the Telegram Bot API: /bot<token>/<method>.

getUpdates is a real long poll (offset confirms, timeout waits) and, as Telegram does, a
second poller ends the first one with 409 Conflict. sendMessage, answerCallbackQuery and
editMessageText are recorded; a chat can be made unknown (400), blocked (403), or rate
limited (429 with parameters.retry_after). Parameters are read from the query string, a
form or JSON alike, as the real API does.
"""

import json
import threading
import time
from urllib.parse import parse_qs, urlparse

from .base import LoopbackServer, QuietHandler


class FakeTelegram(LoopbackServer):
    def __init__(self, token):
        self.token = token
        self.lock = threading.Condition()
        self.updates = []  # pending update dicts
        self.next_update_id = 700000
        self.next_message_id = 1
        self.sent = []  # sendMessage params, with "at" (time.time())
        self.answered = []  # answerCallbackQuery params
        self.edited = []
        self.polls = []  # getUpdates params
        self.poll_generation = 0
        self.conflicts = 0
        self.rate_limits = {}  # chat id -> [retry_after seconds, times left]
        self.unknown_chats = set()
        self.blocked_chats = set()
        super().__init__(self._handler())

    @property
    def base_url(self):
        return self.address("")

    # -- what a person does in Telegram ------------------------------------------------

    def _push(self, update):
        with self.lock:
            self.next_update_id += 1
            update["update_id"] = self.next_update_id
            self.updates.append(update)
            self.lock.notify_all()
        return update

    def send_text(self, chat_id, text, first_name="Admin"):
        user = {"id": int(chat_id), "is_bot": False, "first_name": first_name}
        with self.lock:
            self.next_message_id += 1
            message_id = self.next_message_id
        message = {
            "message_id": message_id,
            "from": user,
            "chat": {"id": int(chat_id), "type": "private", "first_name": first_name},
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": message})

    def press(self, chat_id, data, message_id=1, first_name="Admin"):
        user = {"id": int(chat_id), "is_bot": False, "first_name": first_name}
        query = {
            "id": f"cb{self.next_update_id + 1}",
            "from": user,
            "chat_instance": "-1",
            "data": data,
            "message": {
                "message_id": message_id,
                "from": {"id": 1, "is_bot": True, "first_name": "MonitoringSDA"},
                "chat": {"id": int(chat_id), "type": "private"},
                "date": int(time.time()),
                "text": "Menu",
            },
        }
        return self._push({"callback_query": query})

    def rate_limit(self, chat_id, retry_after, times=1):
        self.rate_limits[str(chat_id)] = [retry_after, times]

    def wait_for(self, count, timeout=10, chat_id=None):
        """Block until `count` messages were sent (to chat_id, if given); return them."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                found = [m for m in self.sent if chat_id is None or str(m["chat_id"]) == str(chat_id)]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self.lock.wait(left)

    # -- the API -------------------------------------------------------------------------

    def _call(self, method, params):
        if method == "getUpdates":
            return self._get_updates(params)
        if method == "sendMessage":
            return self._send_message(params)
        if method == "answerCallbackQuery":
            with self.lock:
                self.answered.append(params)
            return 200, {"ok": True, "result": True}
        if method == "editMessageText":
            with self.lock:
                self.edited.append(params)
            return 200, {"ok": True, "result": True}
        if method == "getMe":
            return 200, {
                "ok": True,
                "result": {
                    "id": 1,
                    "is_bot": True,
                    "first_name": "MonitoringSDA",
                    "username": "MonitoringSDA_bot",
                },
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _get_updates(self, params):
        offset = int(params.get("offset") or 0)
        wait = float(params.get("timeout") or 0)
        deadline = time.monotonic() + wait
        with self.lock:
            self.polls.append(params)
            self.poll_generation += 1
            mine = self.poll_generation
            self.lock.notify_all()  # an earlier poller is ended by this one
            if offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while True:
                if mine != self.poll_generation:
                    self.conflicts += 1
                    return 409, {
                        "ok": False,
                        "error_code": 409,
                        "description": "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    }
                if self.updates or time.monotonic() >= deadline:
                    limit = int(params.get("limit") or 100)
                    return 200, {"ok": True, "result": self.updates[:limit]}
                self.lock.wait(min(deadline - time.monotonic(), 0.5))

    def _send_message(self, params):
        chat = str(params.get("chat_id", ""))
        with self.lock:
            limit = self.rate_limits.get(chat)
            if limit and limit[1] > 0:
                limit[1] -= 1
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {limit[0]}",
                    "parameters": {"retry_after": limit[0]},
                }
            if chat in self.unknown_chats:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            if chat in self.blocked_chats:
                return 403, {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                }
            self.next_message_id += 1
            record = dict(params, at=time.time(), message_id=self.next_message_id)
            self.sent.append(record)
            self.lock.notify_all()
        result = {
            "message_id": record["message_id"],
            "date": int(record["at"]),
            "chat": {"id": int(chat) if chat.lstrip("-").isdigit() else 0, "type": "private"},
            "text": params.get("text", ""),
        }
        return 200, {"ok": True, "result": result}

    def _handler(self):
        peer = self

        class Handler(QuietHandler):
            def do_GET(self):
                self._serve(b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._serve(self.rfile.read(length))

            def _serve(self, body):
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                kind = self.headers.get("Content-Type", "")
                if body and "json" in kind:
                    params.update(json.loads(body))
                elif body:
                    params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
                for key in ("reply_markup",):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                _, _, rest = url.path.partition("/bot")
                token, _, method = rest.partition("/")
                if token != peer.token:
                    code, payload = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                else:
                    code, payload = peer._call(method, params)
                self.reply(code, payload)

        return Handler
