"""What every loopback peer shares: a threaded HTTP server on a free port of 127.0.0.1."""

import threading
from http.server import ThreadingHTTPServer


class LoopbackServer:
    def __init__(self, handler):
        # Headers and body go out in separate writes; without this, delayed ACK adds
        # ~40 ms to every request on a kept-alive connection.
        handler.disable_nagle_algorithm = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def address(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
