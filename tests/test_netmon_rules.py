"""Which change alerts whom: the pure rules, as tables."""

from datetime import datetime, timedelta

import pytest

from app.netmon.rules import (
    DOWN,
    FIRST,
    MAINTENANCE,
    PARENT,
    UNKNOWN,
    UP,
    Change,
    HostView,
    ReminderView,
    alert_router,
    decide,
    in_maintenance,
    recipients,
    reminder_due,
)

# A small network: the uplink (1) feeds kecamatan 2 and 3; 4 hangs off 3.
TREE = {1: None, 2: 1, 3: 1, 4: 3, 5: None}


def hosts(states, maintenance=()):
    return {i: HostView(i, f"h{i}", states.get(i, UP), TREE[i], maintenance=i in maintenance) for i in TREE}


CASES = [
    # (name, changes [(id, old, new)], states after, maintenance, alerts {id: children}, reasons)
    ("one host down", [(2, UP, DOWN)], {2: DOWN}, (), {2: []}, {2: ""}),
    ("one host back", [(2, DOWN, UP)], {}, (), {2: []}, {2: ""}),
    ("first sight of a host that is up is not news", [(2, UNKNOWN, UP)], {}, (), {}, {2: FIRST}),
    ("no change is not news", [(2, DOWN, DOWN)], {2: DOWN}, (), {}, {2: FIRST}),
    ("down when first seen", [(2, UNKNOWN, DOWN)], {2: DOWN}, (), {2: []}, {2: ""}),
    ("down when first seen, in maintenance", [(5, UNKNOWN, DOWN)], {5: DOWN}, (5,), {}, {5: MAINTENANCE}),
    (
        "down when first seen under a parent already down",
        [(4, UNKNOWN, DOWN)],
        {3: DOWN, 4: DOWN},
        (),
        {},
        {4: PARENT},
    ),
    (
        "a new uplink and its new children, all down: one alert",
        [(1, UNKNOWN, DOWN), (2, UNKNOWN, DOWN), (4, UNKNOWN, UP)],
        {1: DOWN, 2: DOWN},
        (),
        {1: [2]},
        {1: "", 2: PARENT, 4: FIRST},
    ),
    (
        "a new child down inside its parent's fresh outage",
        [(3, UP, DOWN), (4, UNKNOWN, DOWN)],
        {3: DOWN, 4: DOWN},
        (),
        {3: [4]},
        {3: "", 4: PARENT},
    ),
    ("in maintenance", [(5, UP, DOWN)], {5: DOWN}, (5,), {}, {5: MAINTENANCE}),
    (
        "children inside the uplink's alert",
        [(1, UP, DOWN), (2, UP, DOWN), (4, UP, DOWN)],
        {1: DOWN, 2: DOWN, 4: DOWN},
        (),
        {1: [2, 4]},
        {1: "", 2: PARENT, 4: PARENT},
    ),
    (
        "a child going down under a parent already down is silent",
        [(4, UP, DOWN)],
        {3: DOWN, 4: DOWN},
        (),
        {},
        {4: PARENT},
    ),
    (
        "children back with the uplink are told in its recovery",
        [(1, DOWN, UP), (2, DOWN, UP)],
        {},
        (),
        {1: [2]},
        {1: "", 2: PARENT},
    ),
    (
        "a child coming back while the parent is down is silent",
        [(4, DOWN, UP)],
        {3: DOWN},
        (),
        {},
        {4: PARENT},
    ),
    (
        "unrelated hosts alert on their own",
        [(2, UP, DOWN), (5, UP, DOWN)],
        {2: DOWN, 5: DOWN},
        (),
        {2: [], 5: []},
        {2: "", 5: ""},
    ),
]


@pytest.mark.parametrize(
    "name, changes, states, maintenance, alerts, reasons", CASES, ids=[c[0] for c in CASES]
)
def test_it_decides_who_is_told(name, changes, states, maintenance, alerts, reasons):
    decision = decide([Change(*c) for c in changes], hosts(states, maintenance))
    assert {a.change.host_id: [c.host_id for c in a.children] for a in decision.alerts} == alerts
    assert decision.reasons == reasons


def test_the_uplinks_recovery_names_children_still_down():
    decision = decide([Change(1, DOWN, UP)], hosts({4: DOWN}))
    assert decision.alerts[0].still_down == [4]


def test_a_parent_cycle_does_not_hang():
    cyclic = {1: HostView(1, "a", DOWN, 2), 2: HostView(2, "b", DOWN, 1)}
    decision = decide([Change(1, UP, DOWN)], cyclic)
    assert decision.reasons == {1: PARENT}


@pytest.mark.parametrize(
    "old, new, alerted",
    [(UP, DOWN, True), (DOWN, UP, True), (UNKNOWN, DOWN, True), (UNKNOWN, UP, False), (DOWN, DOWN, False)],
)
def test_a_router_is_told_when_lost_and_when_back(old, new, alerted):
    assert alert_router(old, new) is alerted


NOW = datetime(2026, 11, 23, 8, 0)


@pytest.mark.parametrize(
    "start, end, inside",
    [
        (NOW - timedelta(hours=1), NOW + timedelta(hours=1), True),
        (NOW, NOW + timedelta(hours=1), True),
        (NOW - timedelta(hours=1), NOW, False),
        (None, NOW + timedelta(hours=1), False),
    ],
)
def test_a_maintenance_window_is_half_open(start, end, inside):
    assert in_maintenance(start, end, NOW) is inside


def reminder(**kw):
    fields = dict(
        id=1,
        status=DOWN,
        every_minutes=30,
        since=NOW - timedelta(minutes=31),
        last_reminder=None,
        acknowledged=False,
        maintenance=False,
        parent_down=False,
    )
    fields.update(kw)
    return ReminderView(**fields)


@pytest.mark.parametrize(
    "host, due",
    [
        (reminder(), True),
        (reminder(since=NOW - timedelta(minutes=29)), False),
        (reminder(last_reminder=NOW - timedelta(minutes=10)), False),
        (reminder(last_reminder=NOW - timedelta(minutes=30)), True),
        (reminder(acknowledged=True), False),
        (reminder(every_minutes=0), False),
        (reminder(status=UP), False),
        (reminder(maintenance=True), False),
        (reminder(parent_down=True), False),
        (reminder(router_lost=True), False),
        (reminder(router_lost=True, last_reminder=NOW - timedelta(days=1)), False),
    ],
)
def test_reminders_repeat_while_down_until_acknowledged(host, due):
    assert reminder_due(host, NOW) is due


def test_every_allowed_chat_is_told_once():
    assert recipients(["111", " 222 "], ["222", "333"]) == ["111", "222", "333"]
