"""A loopback MikroTik router: a threaded TCP server speaking the RouterOS API wire protocol.

Words are length-prefixed (all five length forms), a sentence ends with an empty word,
replies are !re / !done / !trap / !fatal, and a `.tag` sent with a command comes back on
each of its replies. Both logins are spoken: RouterOS 6.43 and later take
`/login =name= =password=`; older ones answer any /login with a challenge `=ret=` and
expect `=response=00<md5(0 + password + challenge)>`.

It holds a mutable Netwatch table and answers the commands the bot uses. Tests flip hosts
(`set_status`), make it slow, make it end the session with !fatal, and make it vanish
(`stop`) and come back on the same port (`start`).
"""

import contextlib
import hashlib
import os
import socket
import socketserver
import ssl
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def encode_length(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x4000:
        return (n | 0x8000).to_bytes(2, "big")
    if n < 0x200000:
        return (n | 0xC00000).to_bytes(3, "big")
    if n < 0x10000000:
        return (n | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + n.to_bytes(4, "big")


def decode_length(read):
    first = read(1)[0]
    if first < 0x80:
        return first
    if first < 0xC0:
        return ((first & 0x3F) << 8) | read(1)[0]
    if first < 0xE0:
        return ((first & 0x1F) << 16) | int.from_bytes(read(2), "big")
    if first < 0xF0:
        return ((first & 0x0F) << 24) | int.from_bytes(read(3), "big")
    if first == 0xF0:
        return int.from_bytes(read(4), "big")
    raise ValueError(f"control byte {first:#x}")


def encode_sentence(words):
    out = bytearray()
    for word in [*words, ""]:
        data = word.encode() if isinstance(word, str) else word
        out += encode_length(len(data)) + data
    return bytes(out)


def format_since(moment, style):
    """Netwatch's `since`: 'jul/14/2023 19:13:29' (RouterOS 6, 7 before 7.10) or
    '2023-07-14 19:24:07' (7.10 and later)."""
    if style == "v6":
        return f"{MONTHS[moment.month - 1]}/{moment:%d/%Y %H:%M:%S}"
    return f"{moment:%Y-%m-%d %H:%M:%S}"


class Closed(Exception):
    pass


class FakeRouter:
    def __init__(
        self,
        user="admin",
        password="rahasia",
        login="plain",
        since_style="v7",
        tls=None,
        timezone="Asia/Jakarta",
        port=0,
    ):
        self.user = user
        self.password = password
        self.login_style = login  # plain (6.43+) | challenge (older)
        self.since_style = since_style
        self.zone = ZoneInfo(timezone)
        # /system/clock: the zone the router says it is in ('manual' for a fixed offset),
        # and how far its clock is from the true time (a router without NTP).
        self.zone_name = timezone
        self.clock_skew = timedelta()
        self.tls = tls  # an ssl.SSLContext for api-ssl, or None
        self.identity = "MikroTik-Loopback"
        self.lock = threading.Lock()
        self.netwatch = []  # dicts with RouterOS's keys
        self.ping_replies = {}  # address -> round-trip ms, or None for a timeout
        self.tables = default_tables()
        self.traffic = {"ether1": (12_500_000, 3_200_000), "ether2": (880_000, 64_000)}
        self.log = []  # /log rows, oldest first (add_log)
        self.log_number = 0
        self.delay = {}  # command -> seconds to wait before answering
        self.fatal_next = False
        self.logins = []  # "plain" / "challenge" per successful login
        self.commands = []
        self.connections = set()
        self._port = port
        self.server = None

    # -- control ------------------------------------------------------------------------

    @property
    def port(self):
        return self._port

    def start(self):
        peer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                peer._serve(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self._port), Handler)
        self.server.daemon_threads = True
        self._port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        """The router vanishes: the port refuses and every open session is cut."""
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None
        with self.lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.connections.clear()

    def add_host(self, host, status="up", comment="", since=None, disabled=False):
        with self.lock:
            entry = {
                ".id": f"*{len(self.netwatch) + 1:X}",
                "host": host,
                "interval": "10s",
                "timeout": "1s",
                "status": status,
                "since": format_since(since or self.now(), self.since_style),
                "disabled": "true" if disabled else "false",
                "comment": comment,
            }
            self.netwatch.append(entry)
            return entry

    def set_status(self, host, status, at=None):
        with self.lock:
            for entry in self.netwatch:
                if entry["host"] == host:
                    entry["status"] = status
                    entry["since"] = format_since(at or self.now(), self.since_style)
                    return entry
        raise KeyError(host)

    def remove_host(self, host):
        with self.lock:
            self.netwatch = [e for e in self.netwatch if e["host"] != host]

    def now(self):
        """The router's local clock: its zone, and its skew."""
        return (datetime.now(self.zone) + self.clock_skew).replace(tzinfo=None)

    def clock_row(self):
        """/system/clock as print gives it; the date in the form of `since_style`."""
        now = datetime.now(self.zone) + self.clock_skew
        offset = int(now.utcoffset().total_seconds())
        sign, minutes = ("-" if offset < 0 else "+"), abs(offset) // 60
        date = format_since(now, self.since_style).split(" ")[0]
        return {
            "time": f"{now:%H:%M:%S}",
            "date": date,
            "time-zone-autodetect": "false",
            "time-zone-name": self.zone_name,
            "gmt-offset": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
            "dst-active": "false",
        }

    # -- /log ---------------------------------------------------------------------------

    def add_log(self, message, time_text=None, topics="system,info"):
        """A line in the memory log; `time_text` as RouterOS prints it (default: now,
        which is today's form, the time alone)."""
        with self.lock:
            self.log_number += 1
            self.log.append(
                {
                    ".id": f"*{self.log_number:X}",
                    "time": time_text or f"{self.now():%H:%M:%S}",
                    "topics": topics,
                    "message": message,
                }
            )

    def login_failure(self, user, address, via="winbox", time_text=None):
        message = f"login failure for user {user} from {address} via {via}"
        self.add_log(message, time_text, topics="system,error,critical")

    def reboot_log(self):
        """The memory log after a reboot: empty, numbered from the start again."""
        with self.lock:
            self.log, self.log_number = [], 0

    # -- the wire -----------------------------------------------------------------------

    def _serve(self, conn):
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                return
        with self.lock:
            self.connections.add(conn)
        state = {"logged_in": False, "challenge": None}
        reader = conn.makefile("rb")
        try:
            while True:
                words = self._read_sentence(reader)
                if not words:
                    continue
                for reply in self._answer(words, state):
                    conn.sendall(encode_sentence(reply))
                    if reply and reply[0] == "!fatal":
                        raise Closed
        except (Closed, OSError, ValueError, IndexError):
            pass
        finally:
            with self.lock:
                self.connections.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _read_sentence(self, reader):
        def read(n):
            data = reader.read(n)
            if len(data) < n:
                raise Closed
            return data

        words = []
        while True:
            length = decode_length(read)
            if length == 0:
                return words
            words.append(read(length).decode("utf-8", "replace"))

    def _answer(self, words, state):
        command, attrs, queries, tag = parse_command(words)
        tagged = (lambda sentence: [*sentence, f".tag={tag}"]) if tag is not None else (lambda s: s)
        self.commands.append(command)
        if self.fatal_next:
            self.fatal_next = False
            return [["!fatal", "session terminated on request"]]
        if command == "/login":
            return [tagged(s) for s in self._login(attrs, state)]
        if not state["logged_in"]:
            return [["!fatal", "not logged in"]]
        time.sleep(self.delay.get(command, 0))
        try:
            rows = self._run(command, attrs, queries)
        except LookupError as error:
            return [tagged(["!trap", f"=message={error.args[0]}"]), tagged(["!done"])]
        proplist = attrs.get(".proplist")
        keep = proplist.split(",") if proplist else None
        out = []
        for row in rows:
            items = [(k, v) for k, v in row.items() if keep is None or k in keep]
            out.append(tagged(["!re", *(f"={k}={v}" for k, v in items)]))
        return [*out, tagged(["!done"])]

    def _login(self, attrs, state):
        if self.login_style == "challenge":
            if "response" not in attrs:
                state["challenge"] = os.urandom(16)
                return [["!done", f"=ret={state['challenge'].hex()}"]]
            expected = "00" + hashlib.md5(b"\x00" + self.password.encode() + state["challenge"]).hexdigest()
            ok = attrs.get("name") == self.user and attrs["response"] == expected
        else:
            ok = attrs.get("name") == self.user and attrs.get("password") == self.password
        if not ok:
            return [["!trap", "=message=invalid user name or password (6)"], ["!done"]]
        state["logged_in"] = True
        self.logins.append(self.login_style)
        return [["!done"]]

    def _run(self, command, attrs, queries):
        if command == "/tool/netwatch/print":
            with self.lock:
                rows = [dict(e) for e in self.netwatch]
        elif command == "/ping":
            return self._ping(attrs)
        elif command == "/interface/monitor-traffic":
            return self._monitor_traffic(attrs)
        elif command == "/log/print":
            with self.lock:
                rows = [dict(r) for r in self.log]
        elif command == "/system/identity/print":
            rows = [{"name": self.identity}]
        elif command == "/system/clock/print":
            rows = [self.clock_row()]
        elif command.endswith("/print") and command[: -len("/print")] in self.tables:
            rows = [dict(r) for r in self.tables[command[: -len("/print")]]]
        else:
            raise LookupError("no such command prefix")
        return [r for r in rows if all(r.get(k) == v for k, v in queries.items())]

    def _ping(self, attrs):
        address = attrs.get("address", "")
        count = int(attrs.get("count", "4"))
        rtt = self.ping_replies.get(address)
        rows, received, times = [], 0, []
        for seq in range(count):
            row = {"seq": str(seq), "host": address}
            if rtt is None:
                row["status"] = "timeout"
            else:
                received += 1
                times.append(rtt)
                row.update({"size": "56", "ttl": "64", "time": f"{rtt}ms"})
            row.update({"sent": str(seq + 1), "received": str(received)})
            row["packet-loss"] = str(100 - received * 100 // (seq + 1))
            if times:
                avg = sum(times) / len(times)
                row.update(
                    {"min-rtt": f"{min(times)}ms", "avg-rtt": f"{avg:g}ms", "max-rtt": f"{max(times)}ms"}
                )
            rows.append(row)
        return rows

    def _monitor_traffic(self, attrs):
        name = attrs.get("interface", "")
        if name not in self.traffic:
            raise LookupError("no such item")
        rx, tx = self.traffic[name]
        return [
            {
                "name": name,
                "rx-packets-per-second": str(rx // 8000),
                "rx-bits-per-second": str(rx),
                "tx-packets-per-second": str(tx // 8000),
                "tx-bits-per-second": str(tx),
            }
        ]


def parse_command(words):
    command, attrs, queries, tag = words[0], {}, {}, None
    for word in words[1:]:
        if word.startswith(".tag="):
            tag = word[5:]
        elif word.startswith("="):
            key, _, value = word[1:].partition("=")
            attrs[key] = value
        elif word.startswith("?"):
            key, _, value = word[1:].partition("=")
            queries[key] = value
    return command, attrs, queries, tag


def default_tables():
    return {
        "/ip/dhcp-server/lease": [
            {
                ".id": "*1",
                "address": "192.168.88.10",
                "mac-address": "AA:BB:CC:00:00:01",
                "host-name": "laptop-kasi",
                "status": "bound",
                "server": "dhcp1",
                "dynamic": "true",
            },
            {
                ".id": "*2",
                "address": "192.168.88.11",
                "mac-address": "AA:BB:CC:00:00:02",
                "status": "waiting",
                "server": "dhcp1",
                "dynamic": "true",
            },
        ],
        "/ip/address": [
            {
                ".id": "*1",
                "address": "192.168.88.1/24",
                "network": "192.168.88.0",
                "interface": "ether2",
                "disabled": "false",
                "dynamic": "false",
            },
            {
                ".id": "*2",
                "address": "172.16.0.2/30",
                "network": "172.16.0.0",
                "interface": "ether1",
                "disabled": "false",
                "dynamic": "false",
            },
        ],
        "/ip/pool": [{".id": "*1", "name": "dhcp_pool1", "ranges": "192.168.88.10-192.168.88.254"}],
        "/interface": [
            {
                ".id": "*1",
                "name": "ether1",
                "type": "ether",
                "running": "true",
                "disabled": "false",
                "comment": "WAN",
            },
            {".id": "*2", "name": "ether2", "type": "ether", "running": "true", "disabled": "false"},
            {".id": "*3", "name": "ether3", "type": "ether", "running": "false", "disabled": "true"},
        ],
        "/ip/dns": [
            {
                "servers": "8.8.8.8,1.1.1.1",
                "dynamic-servers": "",
                "allow-remote-requests": "true",
                "cache-size": "2048KiB",
                "cache-used": "31KiB",
            }
        ],
        "/ip/neighbor": [
            {
                ".id": "*1",
                "interface": "ether1",
                "address": "172.16.0.1",
                "mac-address": "AA:BB:CC:11:22:33",
                "identity": "Kecamatan-Waru",
                "platform": "MikroTik",
                "version": "6.49.10 (long-term)",
                "board": "RB951Ui-2HnD",
            }
        ],
        "/system/resource": [
            {"uptime": "3d4h5m6s", "version": "7.12.1 (stable)", "board-name": "hAP ac2", "cpu-load": "3"}
        ],
    }
