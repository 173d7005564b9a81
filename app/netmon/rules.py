"""Who is told about what: pure functions over plain data, no database, no clock.

A batch of changes (one poll of one router, one push, one round of built-in checks) goes
in; out come the alerts to send and, for each change, why it is not alerted on its own.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

UP, DOWN, UNKNOWN = "up", "down", "unknown"

FIRST = "pertama"  # first sight of a host that is up, or no change: nothing to tell
MAINTENANCE = "pemeliharaan"
PARENT = "induk"  # explained by a parent that is down


@dataclass(frozen=True)
class HostView:
    id: int
    label: str
    status: str  # after this batch
    parent_id: int | None = None
    maintenance: bool = False


@dataclass(frozen=True)
class Change:
    host_id: int
    old: str
    new: str


@dataclass
class Alert:
    change: Change
    # Changes of hosts below it, told inside this alert rather than on their own.
    children: list = field(default_factory=list)
    # On recovery: hosts below it that are still down.
    still_down: list = field(default_factory=list)


@dataclass
class Decision:
    alerts: list
    reasons: dict  # host_id -> why its change is not alerted on its own ("" when it is)


def decide(changes, hosts):
    """Alerts for a batch of changes; `hosts` maps id -> HostView with the new states."""
    recovering = {
        c.host_id
        for c in changes
        if c.old == DOWN
        and c.new == UP
        and not hosts[c.host_id].maintenance
        and down_ancestor(c.host_id, hosts) is None
    }
    reasons, own, folded = {}, [], {}
    for change in changes:
        host = hosts[change.host_id]
        if not is_news(change):
            reasons[change.host_id] = FIRST
        elif host.maintenance:
            reasons[change.host_id] = MAINTENANCE
        elif (root := down_ancestor(change.host_id, hosts)) is not None:
            # Going down, or coming back, under a parent that is down: the parent's news.
            reasons[change.host_id] = PARENT
            folded.setdefault(root, []).append(change)
        elif change.new == UP and (root := _highest(change.host_id, recovering, hosts)) is not None:
            # Came back together with its parent: told in the parent's recovery.
            reasons[change.host_id] = PARENT
            folded.setdefault(root, []).append(change)
        else:
            reasons[change.host_id] = ""
            own.append(change)
    alerts = []
    for change in own:
        alert = Alert(change, children=folded.get(change.host_id, []))
        if change.new == UP:
            alert.still_down = [
                h.id for h in hosts.values() if h.status == DOWN and change.host_id in _ancestors(h.id, hosts)
            ]
        alerts.append(alert)
    return Decision(alerts, reasons)


def is_news(change):
    """A change worth telling: up <-> down, or a host that is already down when first seen
    (a new Netwatch entry, a new built-in check). A first sight of a host that is up is
    not. Whether it is told on its own is then for maintenance and the parents to say."""
    return (change.old, change.new) in {(UP, DOWN), (DOWN, UP), (UNKNOWN, DOWN)}


def _ancestors(host_id, hosts):
    """Parent, grandparent, ... of host_id (nearest first); a cycle ends the walk."""
    out, seen = [], {host_id}
    parent_id = hosts[host_id].parent_id if host_id in hosts else None
    while parent_id is not None and parent_id in hosts and parent_id not in seen:
        out.append(parent_id)
        seen.add(parent_id)
        parent_id = hosts[parent_id].parent_id
    return out


def down_ancestor(host_id, hosts):
    """The highest ancestor of host_id that is down, or None."""
    return _highest(host_id, {h for h in _ancestors(host_id, hosts) if hosts[h].status == DOWN}, hosts)


def _highest(host_id, among, hosts):
    found = None
    for ancestor in _ancestors(host_id, hosts):
        if ancestor in among:
            found = ancestor
    return found


def alert_router(old, new):
    """A router lost is told once, and once when back; a first contact is not news."""
    return old != new and not (old == UNKNOWN and new == UP)


def in_maintenance(start, end, now):
    return start is not None and end is not None and start <= now < end


@dataclass(frozen=True)
class ReminderView:
    id: int
    status: str
    every_minutes: int
    since: datetime | None
    last_reminder: datetime | None
    acknowledged: bool
    maintenance: bool
    parent_down: bool
    # Its router is not read (unreachable, switched off): the host's state is unknown, not down.
    router_lost: bool = False


def reminder_due(host, now):
    """A host still down, not acknowledged, asks for a reminder every so many minutes."""
    if host.status != DOWN or host.every_minutes <= 0 or host.acknowledged:
        return False
    if host.maintenance or host.parent_down or host.router_lost:
        return False
    last = host.last_reminder or host.since
    return last is not None and now - last >= timedelta(minutes=host.every_minutes)


def recipients(configured, allowed_in_panel):
    """Every allowed chat once, configured ones first."""
    seen, out = set(), []
    for chat in [*configured, *allowed_in_panel]:
        chat = str(chat).strip()
        if chat and chat not in seen:
            seen.add(chat)
            out.append(chat)
    return out
