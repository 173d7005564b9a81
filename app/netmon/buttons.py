"""The inline buttons past the menu (which router, which host) and the data they carry.

Telegram gives a button at most 64 bytes of callback data and hands back whatever a client
sends, so the data names rows by id and is read back strictly: anything unreadable is a
forged or outdated button (`parse` gives None), and a row that is gone by the time the
button is pressed is told as such by the caller.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models.netmon import Host
from . import hosts as netmon_hosts
from . import texts

CALLBACK_LIMIT = 64  # bytes of callback_data (Bot API)
PAGE_SIZE = 8
BUILTIN = 0  # the "router" id of hosts checked by the app itself

_CMD = re.compile(r"^cmd:([a-z]{1,20})$")
_ACK = re.compile(r"^ack:(.{1,60})$")
_RUN = re.compile(r"^run:(\d{1,9}):([a-z]{1,20})(?::(\S(?:[^\n]{0,40}\S)?))?$")
_HOSTS = re.compile(r"^hosts:(\d{1,9}):(\d{1,5})$")
_PING = re.compile(r"^ping:(\d{1,9})$")


@dataclass(frozen=True)
class Press:
    kind: str  # cmd, ack, run, hosts, ping
    command: str = ""  # cmd, run
    router_id: int = 0  # run, hosts
    host_id: int = 0  # ping
    page: int = 0  # hosts
    args: tuple = ()  # run
    reference: str = ""  # ack


def parse(data):
    """Callback data -> Press, or None when it is none of ours."""
    data = data or ""
    if len(data.encode()) > CALLBACK_LIMIT:
        return None
    if match := _CMD.match(data):
        return Press("cmd", command=match.group(1))
    if match := _ACK.match(data):
        return Press("ack", reference=match.group(1))
    if match := _RUN.match(data):
        args = tuple(match.group(3).split()) if match.group(3) else ()
        return Press("run", command=match.group(2), router_id=int(match.group(1)), args=args)
    if match := _HOSTS.match(data):
        return Press("hosts", router_id=int(match.group(1)), page=int(match.group(2)))
    if match := _PING.match(data):
        return Press("ping", host_id=int(match.group(1)))
    return None


def _fits(data):
    return data if len(data.encode()) <= CALLBACK_LIMIT else None


def run_data(router_id, command, args=()):
    """Data for running `command` on a router, or None when the arguments do not fit."""
    tail = " ".join(args)
    return _fits(f"run:{router_id}:{command}" + (f":{tail}" if tail else ""))


def hosts_data(router_id, page):
    return f"hosts:{router_id}:{page}"


def ping_data(host_id):
    return f"ping:{host_id}"


def keyboard(rows):
    return {"reply_markup": {"inline_keyboard": rows}}


def button(text, data):
    return {"text": text[:60], "callback_data": data}


def router_keyboard(routers, command, args=()):
    """One button per router for `command`, or None when the arguments do not fit."""
    rows = []
    for router in routers:
        data = run_data(router.id_router, command, args)
        if data is None:
            return None
        rows.append([button(texts.router_button(router.nama), data)])
    return keyboard(rows)


def ping_groups(routers):
    """[(router id, name)] of the enabled routers and the built-in checks that have hosts."""
    with_hosts = set(db.session.execute(select(Host.id_router).where(Host.aktif).distinct()).scalars())
    groups = [(r.id_router, r.nama) for r in routers if r.id_router in with_hosts]
    if None in with_hosts:
        groups.append((BUILTIN, texts.BUILTIN_GROUP))
    return groups


def group_keyboard(groups):
    return keyboard([[button(texts.router_button(name), hosts_data(rid, 0))] for rid, name in groups])


def host_page(router_id, page):
    """(hosts on this page, page clipped to those there are, number of pages)."""
    query = select(Host).where(Host.aktif)
    query = query.where(Host.id_router.is_(None) if router_id == BUILTIN else Host.id_router == router_id)
    hosts = db.session.execute(query.order_by(Host.komentar, Host.host, Host.id_host)).scalars().all()
    pages = max(1, -(-len(hosts) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    return hosts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages


def host_keyboard(router_id, hosts, page, pages):
    rows = [
        [button(texts.host_button(h.label, h.host, netmon_hosts.shown_status(h)), ping_data(h.id_host))]
        for h in hosts
    ]
    nav = []
    if page > 0:
        nav.append(button(texts.PAGE_PREVIOUS, hosts_data(router_id, page - 1)))
    if page + 1 < pages:
        nav.append(button(texts.PAGE_NEXT, hosts_data(router_id, page + 1)))
    return keyboard([*rows, nav] if nav else rows)
