"""A router's clock and the times it gives: the pure reading, as tables."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.netmon.routertime import label, offset_seconds, parse, reading, router_today, trusted, zone_of

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
NOV30 = date(2026, 11, 30)


@pytest.mark.parametrize(
    "text, zone, today, expected",
    [
        # Netwatch's `since`, RouterOS 6 and 7 before 7.10, then 7.10 and later
        ("may/01/2024 10:11:12", UTC, None, datetime(2024, 5, 1, 10, 11, 12)),
        ("2024-05-01 10:11:12", UTC, None, datetime(2024, 5, 1, 10, 11, 12)),
        ("may/01/2024 10:11:12", WIB, None, datetime(2024, 5, 1, 3, 11, 12)),
        ("2024-05-01 10:11:12", WIB, None, datetime(2024, 5, 1, 3, 11, 12)),
        ("may/01/2024 10:11:12", WITA, None, datetime(2024, 5, 1, 2, 11, 12)),
        ("2024-05-01 10:11:12", WITA, None, datetime(2024, 5, 1, 2, 11, 12)),
        ("jul/14/2023 19:13:29", WIB, None, datetime(2023, 7, 14, 12, 13, 29)),
        ("Jan/02/2024 00:00:01", WIB, None, datetime(2024, 1, 1, 17, 0, 1)),
        ("  2024-05-01   7:01:02 ", UTC, None, datetime(2024, 5, 1, 7, 1, 2)),
        (
            "may/01/2024 10:11:12",
            timezone(timedelta(hours=-3, minutes=-30)),
            None,
            datetime(2024, 5, 1, 13, 41, 12),
        ),
        # log lines: this year without the year, today without the date
        ("may/01 10:11:12", WITA, NOV30, datetime(2026, 5, 1, 2, 11, 12)),
        ("05-01 10:11:12", WITA, NOV30, datetime(2026, 5, 1, 2, 11, 12)),
        ("10:11:12", WIB, NOV30, datetime(2026, 11, 30, 3, 11, 12)),
        ("00:30:00", WITA, NOV30, datetime(2026, 11, 29, 16, 30, 0)),
        ("dec/31 23:59:59", UTC, date(2027, 1, 1), datetime(2026, 12, 31, 23, 59, 59)),
        ("12-31 23:59:59", UTC, date(2027, 1, 1), datetime(2026, 12, 31, 23, 59, 59)),
        ("feb/29 08:00:00", UTC, date(2025, 1, 10), datetime(2024, 2, 29, 8, 0, 0)),
        ("may/01/2023 10:11:12", UTC, NOV30, datetime(2023, 5, 1, 10, 11, 12)),
        # not readable
        ("may/01 10:11:12", UTC, None, None),
        ("10:11:12", UTC, None, None),
        ("", UTC, None, None),
        (None, UTC, None, None),
        ("kemarin", UTC, NOV30, None),
        ("feb/30/2024 10:00:00", UTC, None, None),
        ("2024-13-01 10:00:00", UTC, None, None),
        ("mei/01/2024 10:00:00", UTC, None, None),
        ("2024-05-01 25:00:00", UTC, None, None),
        ("2024-05-01T10:11:12", UTC, None, None),
    ],
)
def test_routeros_times_in_the_routers_zone(text, zone, today, expected):
    assert parse(text, zone, today) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("+07:00", 25200),
        ("+08:00", 28800),
        ("+00:00", 0),
        ("-03:30", -12600),
        ("+0545", 20700),
        ("07:00", 25200),
        ("25200", 25200),
        ("0", 0),
        (str(2**32 - 10800), -10800),  # -03:00 as a script sees it
        ("+15:00", None),
        ("+07:60", None),
        ("99999", None),
        ("", None),
        ("WIB", None),
    ],
)
def test_gmt_offset_in_every_form(text, expected):
    assert offset_seconds(text) == expected


AT = datetime(2026, 11, 30, 3, 0, 0)


@pytest.mark.parametrize(
    "name, offset, expected_offset, named",
    [
        ("Asia/Jakarta", 25200, 25200, True),
        ("Asia/Makassar", 28800, 28800, True),
        ("UTC", 0, 0, True),
        ("Etc/UTC", None, 0, True),
        ("manual", 25200, 25200, False),  # a fixed offset set by hand
        ("Asia/Jakarta", 28800, 28800, False),  # name and offset disagree: the offset rules
        ("Planet/Mars", 3600, 3600, False),
        ("", -12600, -12600, False),
    ],
)
def test_the_zone_of_a_router(name, offset, expected_offset, named):
    zone = zone_of(name, offset, AT)
    assert zone.utcoffset(AT) == timedelta(seconds=expected_offset)
    assert isinstance(zone, ZoneInfo) == named


def test_no_zone_without_a_name_or_an_offset():
    assert zone_of("manual", None, AT) is None
    assert zone_of("", None, AT) is None


@pytest.mark.parametrize(
    "row, skew",
    [
        (
            {
                "time": "10:00:05",
                "date": "2026-11-30",
                "time-zone-name": "Asia/Jakarta",
                "gmt-offset": "+07:00",
            },
            5,
        ),
        (
            {
                "time": "11:00:00",
                "date": "nov/30/2026",
                "time-zone-name": "Asia/Makassar",
                "gmt-offset": "+08:00",
            },
            0,
        ),
        ({"time": "03:00:00", "date": "nov/30/2026", "time-zone-name": "UTC", "gmt-offset": "+00:00"}, 0),
        # a router left on UTC whose clock was set by hand to the local hour
        (
            {"time": "10:00:00", "date": "2026-11-30", "time-zone-name": "UTC", "gmt-offset": "+00:00"},
            7 * 3600,
        ),
        # reset to its default after a reboot without NTP
        (
            {"time": "00:01:00", "date": "jan/02/1970", "time-zone-name": "manual", "gmt-offset": "+00:00"},
            None,
        ),
        ({"time": "rusak", "date": "2026-11-30", "time-zone-name": "UTC", "gmt-offset": "+00:00"}, None),
        ({}, None),
    ],
)
def test_a_reading_of_system_clock_and_how_far_off_it_is(row, skew):
    read = reading(row, AT)
    if skew is None and row.get("date") == "jan/02/1970":
        assert read.skew < -50 * 365 * 86400 and not trusted(read.skew)
        return
    assert read.skew == skew


@pytest.mark.parametrize(
    "skew, believed",
    [(0, True), (119, True), (-120, True), (121, False), (-121, False), (25200, False), (None, False)],
)
def test_a_clock_further_off_than_two_minutes_is_not_believed(skew, believed):
    assert trusted(skew) == believed


def test_the_routers_own_date_completes_a_log_time():
    # 23:30 UTC on the 29th is already the 30th in WITA; a router 8 hours behind is not.
    assert router_today(WITA, datetime(2026, 11, 29, 23, 30), 0) == date(2026, 11, 30)
    assert router_today(WITA, datetime(2026, 11, 29, 23, 30), -8 * 3600) == date(2026, 11, 29)


@pytest.mark.parametrize(
    "offset, text", [(25200, "+07:00"), (0, "+00:00"), (-12600, "-03:30"), (20700, "+05:45")]
)
def test_offset_labels(offset, text):
    assert label(offset) == text
