"""Built-in checks for hosts not behind a router: ICMP echo or TCP connect.

ICMP is tried the unprivileged way first (a datagram ICMP socket, allowed where
net.ipv4.ping_group_range covers our group), then with a raw socket (root or
CAP_NET_RAW), then with the system's `ping`. Where none works, an "icmp" host is checked
with a TCP connect to port 80 instead: a refused connection still proves the host answers.
"""

import logging
import os
import shutil
import socket
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models.netmon import DOWN, ICMP, TCP, UP, Host
from . import service

log = logging.getLogger("sarpras.netmon")

FALLBACK_PORT = 80
_pool = ThreadPoolExecutor(16, thread_name_prefix="netmon-check")
_sequence = [0]


def tcp(host, port, timeout, refused_is_up=False):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except ConnectionRefusedError:
        return refused_is_up
    except OSError:
        return False


def _checksum(data):
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _echo_request(ident, seq):
    payload = b"sarpras-netmon"
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, seq) + payload


def _open_icmp():
    """(socket, has IP header) the least privileged way this machine allows, or None."""
    for kind, raw in ((socket.SOCK_DGRAM, False), (socket.SOCK_RAW, True)):
        try:
            return socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP), raw
        except OSError:
            continue
    return None


def icmp(host, timeout):
    """True/False for an echo reply within timeout; None when ICMP is not possible here."""
    opened = _open_icmp()
    if opened is None:
        return _system_ping(host, timeout)
    sock, raw = opened
    _sequence[0] = (_sequence[0] + 1) & 0xFFFF
    ident, seq = os.getpid() & 0xFFFF, _sequence[0]
    try:
        address = socket.gethostbyname(host)
        sock.settimeout(timeout)
        sock.sendto(_echo_request(ident, seq), (address, 0))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            data, peer = sock.recvfrom(1024)
            if raw:
                data = data[(data[0] & 0x0F) * 4 :]
            kind, _, _, got_ident, got_seq = struct.unpack("!BBHHH", data[:8])
            # A datagram socket's identifier is chosen by the kernel: match the sequence.
            if kind == 0 and got_seq == seq and peer[0] == address and (not raw or got_ident == ident):
                return True
        return False
    except OSError:  # a timeout, or the network said the host is unreachable
        return False
    finally:
        sock.close()


def _system_ping(host, timeout):
    binary = shutil.which("ping")
    if binary is None:
        return None
    wait = str(max(int(timeout + 0.999), 1))
    result = subprocess.run([binary, "-c", "1", "-W", wait, host], capture_output=True, timeout=timeout + 2)
    return result.returncode == 0


def probe(sumber, host, port, timeout):
    """up or down for one built-in host."""
    if sumber == TCP:
        return UP if tcp(host, port, timeout) else DOWN
    answered = icmp(host, timeout)
    if answered is None:
        answered = tcp(host, port or FALLBACK_PORT, timeout, refused_is_up=True)
    return UP if answered else DOWN


def ping_summary(host, count, timeout):
    """The bot's /ping without a router: (sent, received, round trips in ms)."""
    rtts = []
    for _ in range(count):
        started = time.monotonic()
        if probe(ICMP, host, 0, timeout) == UP:
            rtts.append((time.monotonic() - started) * 1000)
    return count, len(rtts), rtts


def run_due(config):
    """Worker job: check every built-in host once; returns the events written."""
    hosts = db.session.execute(
        select(Host.id_host, Host.sumber, Host.host, Host.port).where(
            Host.aktif, Host.sumber.in_((ICMP, TCP))
        )
    ).all()
    db.session.rollback()  # no transaction stays open while the probes run
    if not hosts:
        return []
    timeout = config["NETMON_CHECK_TIMEOUT"]
    read_at = clock.utcnow()
    futures = {h.id_host: _pool.submit(probe, h.sumber, h.host, h.port, timeout) for h in hosts}
    results = {host_id: future.result() for host_id, future in futures.items()}
    return service.apply_checks(results, read_at)
