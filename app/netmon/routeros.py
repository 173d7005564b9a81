"""The one seam to RouterOS: nothing else imports routeros_api.

Each thread keeps its own connection per router (the library's sessions are not safe to
share), logs in with plaintext_login=True (RouterOS 6.43 and later; the library falls
back to the older challenge when the router answers with one), and every call has a
timeout. After any error the connection is dropped: the library does not always close a
session that a !fatal or a half-read answer left unusable, and reusing it would fail
forever. A call on a connection kept from earlier is tried once more on a fresh one,
because a router that rebooted meanwhile has cut it without telling us.
"""

import contextlib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime

import routeros_api
from routeros_api import exceptions as ros_exceptions

from .. import clock
from ..redaction import redact, remember
from . import routertime

_local = threading.local()


class RouterError(Exception):
    """A router that could not be reached or refused a command, in words for an admin."""

    def __init__(self, message):
        # Stored as the router's error and shown in the panel and on Telegram.
        super().__init__(redact(message))


class RouterRefused(RouterError):
    """The router answered with !trap: a wrong login or a command it does not take.
    Asking again on a new connection would get the same answer."""


@dataclass(frozen=True)
class Target:
    """How to reach one router; `key` tells its connections apart from other routers'."""

    key: str
    host: str
    port: int
    username: str
    password: str
    tls: bool = False
    timeout: float = 5.0


@dataclass(frozen=True)
class NetwatchEntry:
    host: str
    status: str  # up, down, unknown
    since: datetime | None  # naive UTC
    comment: str
    disabled: bool


def call(target, path, command="print", wait=None, **arguments):
    """Run one API command; its !re rows as dicts of str (keys without the leading dot).
    `wait` lengthens the timeout for commands that take time on the router (ping)."""
    words = {key: str(value) for key, value in arguments.items()}
    pool, fresh = _pool(target)
    try:
        return _call(pool, target, path, command, words, wait)
    except RouterRefused:
        raise
    except RouterError:
        if fresh:
            raise
    pool, _ = _pool(target)
    return _call(pool, target, path, command, words, wait)


def _call(pool, target, path, command, words, wait):
    try:
        api = pool.get_api()
        if wait:
            pool.set_timeout(target.timeout + wait)
        try:
            return list(api.get_resource(path).call(command, words))
        finally:
            if wait:
                pool.set_timeout(target.timeout)
    except ros_exceptions.RouterOsApiCommunicationError as error:
        _drop(target)
        raise RouterRefused(_trap_text(error, target)) from None
    except (ros_exceptions.RouterOsApiError, OSError, ValueError, AssertionError) as error:
        _drop(target)
        raise RouterError(_connection_text(error, target)) from None


def _pools():
    pools = getattr(_local, "pools", None)
    if pools is None:
        pools = _local.pools = {}
    return pools


def _pool(target):
    """This thread's connection to the router, and whether it is new."""
    pools = _pools()
    held = pools.get(target.key)
    if held is not None and held[0] == target:
        return held[1], False
    if held is not None:
        held[1].disconnect()
    remember(target.password)
    pool = routeros_api.RouterOsApiPool(
        target.host,
        username=target.username,
        password=target.password,
        port=target.port,
        plaintext_login=True,
        use_ssl=target.tls,
        ssl_context=_tls_context() if target.tls else None,
    )
    pool.socket_timeout = target.timeout
    pools[target.key] = (target, pool)
    return pool, True


def _drop(target):
    held = _pools().pop(target.key, None)
    if held is not None:
        # An OSError here means the socket is already gone, which is what we wanted.
        with contextlib.suppress(OSError):
            held[1].disconnect()


def close_all():
    """Close this thread's connections (a worker thread that ends)."""
    for key in list(_pools()):
        _drop(Target(key, "", 0, "", ""))


def _tls_context():
    # api-ssl on MikroTik routers runs on a self-signed certificate as a rule; the link is
    # encrypted, but there is no authority to check the certificate against.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _trap_text(error, target):
    message = error.original_message
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    if "password" in text or "log in" in text:
        return f"Login ke router {target.host} ditolak: {text}"
    return f"Router {target.host} menolak perintah: {text}"


def _connection_text(error, target):
    detail = str(error) or type(error).__name__
    if isinstance(error, TimeoutError):
        detail = "waktu habis"
    elif isinstance(error, ConnectionRefusedError):
        detail = "koneksi ditolak (port API tertutup?)"
    return f"Tidak dapat terhubung ke router {target.host}:{target.port}: {detail}"


# -- what the poller and the bot ask -------------------------------------------------------


def netwatch(target, zone):
    """The router's Netwatch entries; `since` is read in the router's zone `zone`."""
    rows = call(target, "/tool/netwatch")
    return [
        NetwatchEntry(
            host=row.get("host", ""),
            status=row.get("status", "unknown"),
            since=routertime.parse(row.get("since", ""), zone),
            comment=row.get("comment", ""),
            disabled=row.get("disabled", "false") in ("true", "yes"),
        )
        for row in rows
        if row.get("host")
    ]


def system_clock(target):
    """The router's /system/clock as a routertime.Reading, timed against the server's clock."""
    before = clock.utcnow()
    rows = call(target, "/system/clock")
    after = clock.utcnow()
    return routertime.reading(rows[0] if rows else {}, before + (after - before) / 2)


def identity(target):
    rows = call(target, "/system/identity")
    return rows[0].get("name", "") if rows else ""


def ping(target, address, count=4):
    # RouterOS sends one echo a second: the answer takes `count` seconds at least.
    return call(target, "/", "ping", wait=count + 1, address=address, count=count)


def monitor_traffic(target, interface):
    # "=once=yes": an empty value would go out as "=once", outside the =name=value form.
    rows = call(target, "/interface", "monitor-traffic", interface=interface, once="yes")
    return rows[0] if rows else {}


def rows(target, path):
    """A table as `print` gives it: /ip/dhcp-server/lease, /ip/address, /interface, ..."""
    return call(target, path)


def log(target):
    """The router's /log (its memory buffer), oldest first: rows of id, time, topics, message."""
    return call(target, "/log", **{".proplist": ".id,time,topics,message"})
