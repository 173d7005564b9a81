"""Dates typed into the panel's filters: read, held to years people mean, or refused with
a warning."""

from datetime import date, datetime, timedelta

import pytest

from app.panel.date_filter import EARLIEST, LATEST, read_day


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, (None, "")),
        ("", (None, "")),
        ("   ", (None, "")),
        ("2026-11-23", (date(2026, 11, 23), "")),
        (" 2026-11-23 ", (date(2026, 11, 23), "")),
        ("20261123", (date(2026, 11, 23), "")),  # ISO's basic form
        ("2000-01-01", (EARLIEST, "")),
        ("1999-12-31", (EARLIEST, "")),
        ("0001-01-01", (EARLIEST, "")),
        ("9998-12-31", (LATEST, "")),
        ("9999-12-31", (LATEST, "")),
        ("kemarin", (None, "Tanggal awal tidak valid: kemarin")),
        ("2026-02-30", (None, "Tanggal awal tidak valid: 2026-02-30")),
        ("10000-01-01", (None, "Tanggal awal tidak valid: 10000-01-01")),
        ("x" * 5000, (None, "Tanggal awal tidak valid: " + "x" * 29 + "…")),
    ],
)
def test_read_day(raw, expected):
    assert read_day(raw, "awal") == expected


def test_the_latest_day_has_a_next_day_in_utc_everywhere():
    # A period ends at the next day's midnight, local time, then in UTC (up to +14 h).
    assert datetime.combine(LATEST, datetime.min.time()) + timedelta(days=1, hours=14) < datetime.max
