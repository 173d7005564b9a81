"""A TCP proxy on loopback in front of a real server (MariaDB), that can be frozen: while
frozen it forwards nothing and answers no new connection, as a hung server would."""

import select
import socket
import threading


class FreezableProxy:
    def __init__(self, host, port):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.running = threading.Event()  # set: forwarding; clear: frozen
        self.running.set()
        self.stopped = threading.Event()
        self.sockets = []
        self.lock = threading.Lock()
        self.forwarded = 0  # bytes from the server to its clients
        self.freeze_at = None

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def freeze(self):
        self.running.clear()

    def freeze_after(self, size):
        """Freeze once the server has sent `size` bytes more (to any client): a server
        that hangs in the middle of an answer."""
        with self.lock:
            self.freeze_at = self.forwarded + size

    def _count(self, size):
        with self.lock:
            self.forwarded += size
            if self.freeze_at is not None and self.forwarded >= self.freeze_at:
                self.freeze_at = None
                self.running.clear()

    def thaw(self):
        self.running.set()

    def stop(self):
        self.stopped.set()
        self.running.set()
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                sock.close()

    def _keep(self, sock):
        with self.lock:
            self.sockets.append(sock)
        return sock

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(self._keep(client),), daemon=True).start()

    def _wait_while_frozen(self):
        while not self.running.wait(0.05):
            if self.stopped.is_set():
                return False
        return not self.stopped.is_set()

    def _serve(self, client):
        # A connection made while frozen is accepted and left without a word.
        if not self._wait_while_frozen():
            return
        try:
            upstream = self._keep(socket.create_connection(self.target))
        except OSError:
            client.close()
            return
        peers = {client: upstream, upstream: client}
        try:
            while self._wait_while_frozen():
                readable, _, _ = select.select(list(peers), [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
                    if sock is upstream:
                        self._count(len(data))
        except OSError:
            return
        finally:
            client.close()
            upstream.close()
