"""A router's own clock and the times it gives: pure functions, no I/O, no app clock.

RouterOS writes times in the router's zone, in two forms: up to 7.9 'may/01/2024 10:11:12'
(a log line of this year drops the year, 'may/01 10:11:12'; of today, the date), since
7.10 '2024-05-01 10:11:12' ('05-01 10:11:12', '10:11:12'). Everything here turns them into
the naive UTC the app stores. A router left at its default runs on UTC; one without NTP
may be hours off after a reboot: such a clock is not believed (`trusted`).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# The router's clock may be this far from the server's before its times are not believed.
TOLERANCE = timedelta(minutes=2)

_TIME = r"(\d{1,2}):(\d{2}):(\d{2})"
_OLD = re.compile(rf"^([a-z]{{3}})/(\d{{1,2}})(?:/(\d{{4}}))? {_TIME}$")
_NEW = re.compile(rf"^(?:(\d{{4}})-)?(\d{{1,2}})-(\d{{1,2}}) {_TIME}$")
_TIME_ONLY = re.compile(rf"^{_TIME}$")
_OFFSET = re.compile(r"^([+-])?(\d{1,2}):?(\d{2})$")


def parse(text, zone, today=None):
    """A RouterOS date and time in `zone` as naive UTC; None when unreadable.

    `today` (the router's local date) completes a log time without its year or date;
    without it only full dates are read (Netwatch's `since`, the clock's date)."""
    text = " ".join((text or "").strip().lower().split())
    if match := _OLD.match(text):
        month = MONTHS.get(match.group(1))
        if month is None:
            return None
        day, year = int(match.group(2)), match.group(3)
        hms = match.groups()[3:]
    elif match := _NEW.match(text):
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        hms = match.groups()[3:]
    elif (match := _TIME_ONLY.match(text)) and today is not None:
        year, month, day, hms = today.year, today.month, today.day, match.groups()
    else:
        return None
    if year is None:
        if today is None:
            return None
        # 'dec/31 23:59:59' read on jan/01 is last year's line.
        year = today.year - 1 if (month, day) > (today.month, today.day) else today.year
    try:
        local = datetime(int(year), month, day, *(int(g) for g in hms))
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def offset_seconds(text):
    """`gmt-offset` as seconds east of UTC: '+07:00', '-03:30', '+0800', or plain seconds
    as scripts see it ('25200'; a negative one as its unsigned 32-bit value). None if unreadable."""
    text = (text or "").strip()
    if re.fullmatch(r"\d+", text):
        value = int(text)
        value = value - 2**32 if value >= 2**31 else value
        return value if abs(value) <= 14 * 3600 else None
    match = _OFFSET.match(text)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3))
    if hours > 14 or minutes > 59:
        return None
    return sign * (hours * 3600 + minutes * 60)


def zone_of(name, offset, at=None):
    """The zone to read a router's times in: its `time-zone-name` when that is a known zone
    whose offset at `at` (naive UTC) agrees with `gmt-offset`, else the fixed `gmt-offset`
    ('manual' zones, an outdated zone table); None when neither is known."""
    named = _named(name)
    if named is not None and (offset is None or at is None or _utcoffset(named, at) == offset):
        return named
    if offset is None:
        return None
    return timezone(timedelta(seconds=offset), label(offset))


def _named(name):
    name = (name or "").strip()
    if not name or name.lower() == "manual":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _utcoffset(zone, at):
    return int(at.replace(tzinfo=UTC).astimezone(zone).utcoffset().total_seconds())


def label(offset):
    """'+07:00' for 25200."""
    sign = "-" if offset < 0 else "+"
    minutes = abs(offset) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Reading:
    """What /system/clock said, and when the server asked."""

    zone_name: str  # time-zone-name as the router gives it ('manual' is possible)
    offset: int | None  # gmt-offset in seconds
    zone: object  # tzinfo to read the router's times in; None when unknown
    router_utc: datetime | None  # the router's clock as naive UTC; None if unreadable
    server_utc: datetime  # the server's clock halfway through the call

    @property
    def skew(self):
        """Router minus server, whole seconds; None when the router's time is unreadable."""
        if self.router_utc is None:
            return None
        return round((self.router_utc - self.server_utc).total_seconds())


def reading(row, server_utc):
    """A Reading from /system/clock's row (time, date, time-zone-name, gmt-offset)."""
    offset = offset_seconds(row.get("gmt-offset", ""))
    name = row.get("time-zone-name", "")
    zone = zone_of(name, offset, server_utc)
    when = f"{row.get('date', '')} {row.get('time', '')}"
    return Reading(name, offset, zone, parse(when, zone) if zone else None, server_utc)


def trusted(skew):
    """Whether a router's times can be stored as they are (skew in seconds, None: unknown)."""
    return skew is not None and abs(skew) <= TOLERANCE.total_seconds()


def router_today(zone, server_utc, skew):
    """The router's local date now, which completes log times without a date."""
    return (server_utc + timedelta(seconds=skew or 0)).replace(tzinfo=UTC).astimezone(zone).date()
