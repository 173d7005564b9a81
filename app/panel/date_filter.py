"""A date typed into a filter (?dari=, ?sampai=): read, and held to years people mean.

The browser's date field lets anyone ask for 0001-01-01 or 9999-12-31. A period's end is
"the next day at 00:00 local time, in UTC", which for 9999-12-31 (or a start of
0001-01-01 west of UTC) is past what `date` can hold: the outage history answered 500.
Every date filter is read here, so no page or export meets such a date.
"""

from datetime import date

EARLIEST = date(2000, 1, 1)
# A year short of date.max: the day after, and its time in UTC, still exist.
LATEST = date(9998, 12, 31)
# What a warning quotes of an unreadable value (it travels in the session cookie).
QUOTED = 30


def read_day(raw, label):
    """(day, error) for the text `raw` of the filter named `label` ("awal", "akhir").

    Empty: (None, ""). A date: (it, "") moved into EARLIEST..LATEST. Anything else:
    (None, an Indonesian warning quoting it)."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        shown = raw if len(raw) <= QUOTED else raw[: QUOTED - 1] + "…"
        return None, f"Tanggal {label} tidak valid: {shown}"
    return min(max(day, EARLIEST), LATEST), ""
