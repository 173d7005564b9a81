"""The Telegram menu: command text in, answer texts out, using the RouterOS seam.

Nothing here talks to Telegram; telegram_poller.py feeds commands in and queues the
answers. An optional last word naming a router picks among several routers.
"""

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models.netmon import DOWN, UNKNOWN, UP, Host
from . import alerts, buttons, checks, passwords, reminders, report, routeros, routers, texts
from . import hosts as netmon_hosts

PING_COUNT = 4
# No host name, address or interface is longer (253 for a DNS name); a longer one would
# be echoed into a reply cut mid-tag, which Telegram refuses.
ARGUMENT_LIMIT = 255
_RTT = re.compile(r"(\d+(?:\.\d+)?)(ms|us|s)")


@dataclass(frozen=True)
class Reply:
    text: str
    keyboard: dict | None = None  # reply_markup


def parse(text):
    """'/Ping@MonitoringSDA_bot 10.0.0.1' -> ('ping', ['10.0.0.1'])."""
    words = (text or "").strip().split()
    if not words:
        return "", []
    return words[0].lstrip("/").split("@", 1)[0].lower(), words[1:]


def menu_keyboard():
    rows = [
        [{"text": label, "callback_data": f"cmd:{name}"} for label, name in row] for row in texts.MENU_BUTTONS
    ]
    return {"reply_markup": {"inline_keyboard": rows}}


def answer(text, who=""):
    """Replies to one command from an allowed chat (inside an app context)."""
    command, args = parse(text)
    if command == "menu":
        return [Reply(texts.MENU, menu_keyboard())]
    if command in ("help", "start", ""):
        return [Reply(texts.HELP)]
    if command == "monitor":
        return _split(monitor(args))
    if command == "ack":
        return acknowledge(" ".join(args), who) if args else [Reply(texts.ACK_USAGE)]
    handler = ROUTER_COMMANDS.get(command)
    if handler is None:
        return [Reply(texts.UNKNOWN_COMMAND)]
    if any(len(arg) > ARGUMENT_LIMIT for arg in args):
        return [Reply(texts.ARGUMENT_TOO_LONG)]
    return _replies(_on_router(handler, command, args))


def acknowledge(reference, who):
    text, told = reminders.acknowledge(reference, who)
    return [] if told else [Reply(text)]


def _split(text):
    return [Reply(part) for part in texts.join(text.split("\n\n")) if part]


def _pick(args):
    """(router or None, remaining args, error text or None); with several routers and
    none named, the router is None and the error is None: ask which."""
    enabled = routers.enabled()
    if args and (chosen := routers.find(args[-1])) is not None:
        return chosen, args[:-1], None
    if not enabled:
        return None, args, texts.NO_ROUTER
    if len(enabled) > 1:
        return None, args, None
    return enabled[0], args, None


def _on_router(handler, command, args):
    if command == "ping" and not args:
        return ping_menu()
    router, args, error = _pick(args)
    if router is None and error is None:
        return _which_router(command, args)
    if router is None:
        return ping_builtin(args[0]) if command == "ping" else error
    return _run(handler, router, args)


def _run(handler, router, args):
    try:
        return handler(routers.target_for(router), router.nama, args)
    except routeros.RouterRefused as failure:
        return texts.command_failed(failure)
    except (routeros.RouterError, passwords.PasswordUnreadable) as failure:
        return texts.router_error(router.nama, failure)


def _which_router(command, args):
    enabled = routers.enabled()
    keyboard = buttons.router_keyboard(enabled, command, args)
    if keyboard is None:
        return texts.name_the_router(command, [r.nama for r in enabled])
    return Reply(texts.choose_router(command, args), keyboard)


# -- buttons ---------------------------------------------------------------------------


def ping_menu():
    """/ping alone: the hosts to ping as buttons, grouped per router."""
    groups = buttons.ping_groups(routers.enabled())
    if not groups:
        return texts.PING_USAGE
    if len(groups) > 1:
        return Reply(texts.PING_CHOOSE_ROUTER, buttons.group_keyboard(groups))
    return host_menu(groups[0][0], 0)


def host_menu(router_id, page):
    hosts, page, pages = buttons.host_page(router_id, page)
    name = texts.BUILTIN_GROUP if router_id == buttons.BUILTIN else routers.get(router_id).nama
    return Reply(
        texts.ping_choose_host(name, page, pages), buttons.host_keyboard(router_id, hosts, page, pages)
    )


def pressed(data, who):
    """A pressed inline button, checked at once: (notice for the presser, or None when the
    button is stale or forged; the work giving the replies). The work runs after Telegram
    got its answer, since a ping takes seconds."""
    press = buttons.parse(data)
    if press is None:
        return texts.BUTTON_UNKNOWN, None
    if press.kind == "ack":
        return texts.ACK_ANSWERED, lambda: acknowledge(press.reference, who)
    if press.kind == "cmd":
        return texts.ACK_ANSWERED, lambda: answer("/" + press.command, who)
    if press.kind == "ping":
        host = db.session.get(Host, press.host_id)
        if host is None or not host.aktif or (host.router is not None and not host.router.aktif):
            return texts.BUTTON_HOST_GONE, None
        return texts.ACK_ANSWERED, lambda: _split(_ping_host(host))
    router_id = press.router_id
    if router_id != buttons.BUILTIN or press.kind == "run":
        router = routers.get(router_id)
        if router is None or not router.aktif:
            return texts.BUTTON_ROUTER_GONE, None
    if press.kind == "hosts":
        return texts.ACK_ANSWERED, lambda: _replies(host_menu(router_id, press.page))
    handler = ROUTER_COMMANDS.get(press.command)
    if handler is None:
        return texts.BUTTON_UNKNOWN, None
    if press.command == "ping" and not press.args:
        return texts.ACK_ANSWERED, lambda: _replies(host_menu(router_id, 0))
    return texts.ACK_ANSWERED, lambda: _split(_run(handler, router, list(press.args)))


def _ping_host(host):
    if host.router is None:
        return ping_builtin(host.host)
    return _run(ping, host.router, [host.host])


def _replies(result):
    return [result] if isinstance(result, Reply) else _split(result)


# -- /monitor ------------------------------------------------------------------------

# Uptime shown beside each host: from the stored events, like the panel's uptime page.
MONITOR_WINDOWS = (report.HOUR, report.DAY)


def monitor(args):
    only = routers.find(args[0]) if args else None
    if args and only is None:
        return texts.unknown_router(args[0], [r.nama for r in routers.enabled()])
    query = select(Host).where(Host.aktif).order_by(Host.id_router, Host.komentar, Host.host)
    if only is not None:
        query = query.where(Host.id_router == only.id_router)
    now = clock.local_now()
    hosts = db.session.execute(query).scalars().all()
    uptime = report.uptime_of(hosts, MONITOR_WINDOWS)
    names = [name for name, _ in MONITOR_WINDOWS]
    blocks, counts, current, lines = [], {UP: 0, DOWN: 0, UNKNOWN: 0}, object(), []
    for host in hosts:
        if host.id_router != current:
            if lines:
                blocks.append("\n".join(lines))
            current, lines = host.id_router, [_router_heading(host)]
        lost = netmon_hosts.router_lost(host)
        # Unknown since the router was lost: the stored state is only its last reading.
        began = host.router.sejak if lost else host.sejak
        since = alerts.to_local(began) if began else None
        shares = list(zip(names, uptime[host.id_host], strict=True))
        status = netmon_hosts.shown_status(host)
        lines.append(texts.monitor_line(host.label, host.host, status, since, now, shares, router_lost=lost))
        counts[status] = counts.get(status, 0) + 1
    if lines:
        blocks.append("\n".join(lines))
    if not blocks:
        return texts.table("Monitor", only.nama if only else "", [])
    blocks.append(texts.monitor_summary(counts[UP], counts[DOWN], counts[UNKNOWN]))
    return "\n\n".join(blocks)


def _router_heading(host):
    router = host.router
    if router is None:
        return f"<b>{texts.builtin_check(host.sumber)}</b>"
    return texts.monitor_router_line(router.nama, router.status, router.galat)


# -- commands on a router --------------------------------------------------------------


def _label(address):
    host = db.session.execute(select(Host).where(Host.host == address).limit(1)).scalar_one_or_none()
    return host.label if host is not None else ""


def _ms(value):
    """'1ms', '12.5ms', '1ms234us' (RouterOS 7) -> milliseconds."""
    total = 0.0
    for number, unit in _RTT.findall(value or ""):
        total += float(number) * {"ms": 1, "us": 0.001, "s": 1000}[unit]
    return round(total, 2)


def ping(target, router_name, args):
    address = args[0]
    replies = routeros.ping(target, address, PING_COUNT)
    last = replies[-1] if replies else {}
    sent, received = int(last.get("sent", PING_COUNT)), int(last.get("received", 0))
    rtts = [_ms(last[k]) for k in ("min-rtt", "avg-rtt", "max-rtt") if last.get(k)] if received else []
    return texts.ping_result(address, _label(address), router_name, sent, received, rtts)


def ping_builtin(address):
    timeout = min(current_app.config["NETMON_CHECK_TIMEOUT"], 2)
    sent, received, rtts = checks.ping_summary(address, PING_COUNT, timeout)
    summary = [round(min(rtts), 2), round(sum(rtts) / len(rtts), 2), round(max(rtts), 2)] if rtts else []
    return texts.ping_result(address, _label(address), texts.builtin_check("icmp"), sent, received, summary)


def _table(title, path, render):
    def command(target, router_name, _args):
        return texts.table(title, router_name, [render(row) for row in routeros.rows(target, path)])

    return command


def dns(target, router_name, _args):
    rows = routeros.rows(target, "/ip/dns")
    return texts.table("DNS", router_name, texts.dns_lines(rows[0] if rows else {}))


def traffic(target, router_name, args):
    name = args[0] if args else _first_running(target)
    if not name:
        return texts.table("Traffic", router_name, [])
    row = routeros.monitor_traffic(target, name)
    return texts.traffic(
        router_name,
        name,
        row.get("rx-bits-per-second"),
        row.get("tx-bits-per-second"),
        row.get("rx-packets-per-second", "0"),
        row.get("tx-packets-per-second", "0"),
    )


def _first_running(target):
    for row in routeros.rows(target, "/interface"):
        if row.get("running") == "true" and row.get("disabled") != "true":
            return row.get("name")
    return None


ROUTER_COMMANDS = {
    "ping": ping,
    "dhcp": _table("DHCP Lease", "/ip/dhcp-server/lease", texts.dhcp_line),
    "address": _table("IP Address", "/ip/address", texts.address_line),
    "pool": _table("IP Pool", "/ip/pool", texts.pool_line),
    "traffic": traffic,
    "interface": _table("Interface", "/interface", texts.interface_line),
    "dns": dns,
    "neighbor": _table("Neighbor", "/ip/neighbor", texts.neighbor_line),
}
