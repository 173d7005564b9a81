"""What every loopback peer shares: a threaded HTTP server on a free port of 127.0.0.1."""

import json
import sys
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def form(content_type, body):
    """(fields, files) of a form body, URL-encoded or multipart/form-data, the way the
    real services read one; files map a field to (filename, bytes, content type)."""
    if not (content_type or "").startswith("multipart/form-data"):
        fields = parse_qs(body.decode(), keep_blank_values=True)
        return {k: v[0] for k, v in fields.items()}, {}
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (part.get_filename(), content, part.get_content_type())
        else:
            fields[name] = content.decode()
    return fields, files


class QuietHandler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1, no access log, and a JSON answer in one call."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="application/json"):
        data = json.dumps(body).encode() if content_type == "application/json" else body
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that timed out on purpose (a test of our timeouts) hangs up before the
        # answer: not worth a traceback in the test output.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class LoopbackServer:
    def __init__(self, handler):
        # Headers and body go out in separate writes; without this, delayed ACK adds
        # ~40 ms to every request on a kept-alive connection.
        handler.disable_nagle_algorithm = True
        self.server = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def address(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class RecordingServer(LoopbackServer):
    """A peer that takes messages (a send API): what it accepted, in order, and a way to
    wait for them. Handlers append to `received` and notify `arrived` while holding it."""

    def __init__(self, handler):
        self.received = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        super().__init__(handler)

    def wait_for(self, count, timeout=10):
        """Block until `count` messages were accepted; return them."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.arrived.wait(left)
            return list(self.received)
