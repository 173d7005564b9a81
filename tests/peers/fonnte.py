"""A loopback HTTP server that plays Fonnte's send API (POST /send).

It answers the way Fonnte does: HTTP 200 with {"status": true, "id": [...]} on success and
HTTP 200 with {"status": false, "reason": ...} on refusal. Tests switch it to failing
modes to play an outage, a refusal or a slow server.
"""

import time

from .base import QuietHandler, RecordingServer, form


class FakeFonnte(RecordingServer):
    def __init__(self, token="fonnte-token"):
        self.token = token
        self.mode = "ok"  # ok | http500 | reason:<text> | slow:<seconds>
        self._next_id = 80367170
        super().__init__(self._handler())

    @property
    def url(self):
        return self.address("/send")

    def _handler(self):
        peer = self

        class Handler(QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fields, files = form(self.headers.get("Content-Type"), self.rfile.read(length))
                if "file" in files:
                    fields["file"] = files["file"]  # (filename, bytes, content type)
                mode = peer.mode
                if mode.startswith("slow:"):
                    time.sleep(float(mode.split(":", 1)[1]))
                    mode = "ok"
                if mode == "http500":
                    return self._reply(500, {"status": False, "reason": "server error"})
                if self.headers.get("Authorization") != peer.token:
                    return self._reply(200, {"status": False, "reason": "token invalid"})
                if mode.startswith("reason:"):
                    return self._reply(200, {"status": False, "reason": mode.split(":", 1)[1]})
                if not fields.get("target", "").isdigit():
                    return self._reply(200, {"status": False, "reason": "target invalid"})
                with peer.arrived:
                    peer._next_id += 1
                    message_id = str(peer._next_id)
                    fields["authorization"] = self.headers.get("Authorization")
                    fields["at"] = time.time()
                    fields["id"] = message_id
                    peer.received.append(fields)
                    peer.arrived.notify_all()
                self._reply(
                    200,
                    {
                        "detail": "success! message in queue",
                        "id": [message_id],
                        "process": "pending",
                        "requestid": 2937124,
                        "status": True,
                        "target": [fields["target"]],
                    },
                )

            def _reply(self, code, payload):
                self.reply(code, payload)

        return Handler
