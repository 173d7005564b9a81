"""A loopback HTTP peer that reads a request and then misbehaves, the ways a provider's
link fails after the request went out: it hangs up, never answers, or cuts its answer."""

import socket
import threading


class BrokenPeer:
    """behaviour: "close" (hang up without answering), "hang" (answer nothing until
    stopped) or "cut" (headers and part of the body, then hang up)."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.requests = 0  # requests read to the end of their headers
        self.server = socket.create_server(("127.0.0.1", 0))
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/send"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.server.close()

    def _serve(self):
        held = []  # "hang": connections kept open until stop
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                break
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            self.requests += 1
            if self.behaviour == "hang":
                held.append(conn)
                continue
            if self.behaviour == "cut":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
                )
            conn.close()
        for conn in held:
            conn.close()
