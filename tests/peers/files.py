"""A loopback HTTP server that hands out files, as Fonnte's media URLs do."""

from .base import LoopbackServer, QuietHandler

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000
PDF = b"%PDF-1.4\n" + b"0" * 500


class FileServer(LoopbackServer):
    def __init__(self):
        self.files = {}  # path -> (status, bytes)
        self.redirects = {}  # path -> (status, Location)
        self.hits = []  # paths asked for
        self.hosts = []  # the Host header of each
        super().__init__(self._handler())

    def url(self, path):
        return self.address(path)

    def _handler(self):
        peer = self

        class Handler(QuietHandler):
            def do_GET(self):
                peer.hits.append(self.path)
                peer.hosts.append(self.headers.get("Host"))
                if self.path in peer.redirects:
                    status, location = peer.redirects[self.path]
                    self.send_response(status)
                    self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, body = peer.files.get(self.path, (404, b"not found"))
                self.reply(status, body, content_type="application/octet-stream")

        return Handler
