"""Login attacks in a router's /log, as pure functions: which lines are failed logins,
when they happened, and when failures from one address make a burst worth an alert.

RouterOS writes "login failure for user admin from 10.0.0.5 via winbox" (topics
system,error,critical) for every refused login over winbox, ssh, telnet, ftp, api or the
web. The time column drops what is obvious to someone reading it on the router: today's
lines show only the time, this year's no year.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import routertime

WINDOW = timedelta(minutes=5)

_FAILURE = re.compile(r"login failure for user (?P<user>.*?) from (?P<address>\S+) via (?P<via>\S+)", re.I)


@dataclass(frozen=True)
class Failure:
    at: datetime  # naive UTC
    user: str
    address: str
    via: str


def log_time(text, zone, now):
    """A /log time in the router's zone `zone` as naive UTC, or None if unreadable.
    `now` (aware, the router's own idea of now) says what "today" and "this year" are; a
    date without a year that would lie ahead of today belongs to last year."""
    return routertime.parse(text, zone, now.astimezone(zone).date())


def failure(row, zone, now):
    """A /log row ({'time', 'topics', 'message'}) as a Failure, or None for any other line."""
    match = _FAILURE.search(row.get("message", ""))
    if match is None:
        return None
    at = log_time(row.get("time", ""), zone, now)
    if at is None:
        return None
    return Failure(at, match.group("user"), match.group("address"), match.group("via"))


def entry_number(row):
    """'*1A' -> 26: RouterOS numbers log lines upwards; 0 when unreadable. (routeros_api
    gives `.id` as `id`.)"""
    try:
        return int(row.get("id", "").lstrip("*"), 16)
    except ValueError:
        return 0


def new_rows(rows, last_seen):
    """The rows after the one seen last, and the new mark. A buffer numbered below the
    mark was started again (a reboot): all of it is new."""
    numbered = [(entry_number(row), row) for row in rows]
    if not numbered:
        return [], last_seen
    highest = max((n for n, _ in numbered), default=0)
    if last_seen is not None and highest < last_seen:
        last_seen = 0
    fresh = [row for n, row in numbered if last_seen is None or n > last_seen]
    return fresh, max(highest, last_seen or 0)


@dataclass(frozen=True)
class Burst:
    """Failed logins from one address with no pause of WINDOW between them."""

    first: datetime
    last: datetime
    count: int = 1
    users: tuple = ()
    recent: tuple = field(default=())  # times within WINDOW of the last, until alerted
    alerted: bool = False


def step(burst, failure, threshold):
    """One more failure from the burst's address: (burst, whether it is a new burst,
    whether to alert now). A burst is alerted once, when more than `threshold` failures
    fall within WINDOW; it goes on counting without further alerts until the address
    pauses for WINDOW, and the next failure starts a new burst."""
    at, user = failure.at, failure.user
    if burst is None or at - burst.last > WINDOW:
        burst, new = Burst(first=at, last=at, users=(user,), recent=(at,)), True
    else:
        users = burst.users if user in burst.users else (*burst.users, user)
        recent = () if burst.alerted else tuple(t for t in (*burst.recent, at) if at - t <= WINDOW)
        burst = replace(burst, last=max(burst.last, at), count=burst.count + 1, users=users, recent=recent)
        new = False
    if burst.alerted or len(burst.recent) <= threshold:
        return burst, new, False
    return replace(burst, alerted=True, recent=()), new, True
