"""The one source of the current time, so tests can move it."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

_frozen = None


def utcnow():
    """Naive UTC: what the queue and event columns store, the same on SQLite and MySQL."""
    if _frozen is not None:
        return _frozen.astimezone(UTC).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None)


def zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_now():
    """Aware local time in TIMEZONE: what tanggal/jam and the texts use."""
    if _frozen is not None:
        return _frozen.astimezone(zone())
    return datetime.now(zone())


def zone_word(local):
    """The zone of a local time as the source's texts write it after the hour ('Wib',
    'Wita', 'Wit'); any other zone by its own abbreviation ('UTC', '+07')."""
    name = local.tzname() or ""
    return name.title() if name in ("WIB", "WITA", "WIT") else name


def freeze(moment):
    """Tests only: pin the clock to an aware datetime (None releases it)."""
    global _frozen
    _frozen = moment


def to_local(utc_naive):
    """A stored naive-UTC time as local time in TIMEZONE."""
    return utc_naive.replace(tzinfo=UTC).astimezone(zone())


def to_utc(local):
    """A local time (aware, or naive in TIMEZONE) as the naive UTC the app stores."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def local_at(tanggal, jam=None):
    """The aware local moment of the source's date and time columns (tanggal, jam); the
    start of the day without a time."""
    return datetime.combine(tanggal, jam or datetime.min.time(), zone())
