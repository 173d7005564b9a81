"""Login attacks on the routers: /log lines read, failed logins grouped into bursts per
address, one Telegram alert per burst, the bursts on the routers page."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import RouterLoginGagal
from app.netmon import logins, poller, routerlog
from app.netmon.routerlog import Burst, Failure
from tests.conftest import login, reset_database
from tests.netmon_helpers import CHATS, add_router, branch_router, telegram_queue

WIB, WITA, UTC_ZONE = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("UTC")
# 30 November 2026, 12:00 WIB
NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, zone, expected",
    [
        # RouterOS 6 (and 7 before 7.10): today's lines show the time alone, this year's no year
        ("10:11:12", WIB, datetime(2026, 11, 30, 3, 11, 12)),
        ("nov/29 10:11:12", WIB, datetime(2026, 11, 29, 3, 11, 12)),
        ("may/01 10:11:12", WIB, datetime(2026, 5, 1, 3, 11, 12)),
        ("May/01 10:11:12", WIB, datetime(2026, 5, 1, 3, 11, 12)),
        ("may/01/2024 10:11:12", WIB, datetime(2024, 5, 1, 3, 11, 12)),
        ("jan/02/1970 02:00:09", UTC_ZONE, datetime(1970, 1, 2, 2, 0, 9)),
        # RouterOS 7.10 and later
        ("2024-05-01 10:11:12", WIB, datetime(2024, 5, 1, 3, 11, 12)),
        ("05-01 10:11:12", WIB, datetime(2026, 5, 1, 3, 11, 12)),
        # the router's zone
        ("10:11:12", UTC_ZONE, datetime(2026, 11, 30, 10, 11, 12)),
        ("10:11:12", WITA, datetime(2026, 11, 30, 2, 11, 12)),
        ("2024-05-01 10:11:12", WITA, datetime(2024, 5, 1, 2, 11, 12)),
        # a day without a year that would be ahead of today is last year's
        ("dec/31 23:00:00", WIB, datetime(2025, 12, 31, 16, 0, 0)),
        ("12-31 23:00:00", WIB, datetime(2025, 12, 31, 16, 0, 0)),
        (" 9:05:01 ", WIB, datetime(2026, 11, 30, 2, 5, 1)),
        # unreadable
        ("", WIB, None),
        ("feb/30 10:00:00", WIB, None),
        ("xyz/01 10:11:12", WIB, None),
        ("25:00:00", WIB, None),
        ("2024-13-01 10:11:12", WIB, None),
        ("kemarin", WIB, None),
    ],
)
def test_log_times_in_every_form(text, zone, expected):
    assert routerlog.log_time(text, zone, NOW) == expected


AT = datetime(2026, 11, 30, 3, 11, 12)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("login failure for user admin from 10.0.0.5 via winbox", ("admin", "10.0.0.5", "winbox")),
        ("login failure for user root from 203.0.113.9 via ssh", ("root", "203.0.113.9", "ssh")),
        ("login failure for user api-read from 10.0.0.5 via api", ("api-read", "10.0.0.5", "api")),
        ("login failure for user  from 10.0.0.5 via web", ("", "10.0.0.5", "web")),
        ("login failure for user admin from fe80::1 via telnet", ("admin", "fe80::1", "telnet")),
        ("Login failure for user Admin from 10.0.0.5 via ftp", ("Admin", "10.0.0.5", "ftp")),
        (
            "login failure for user admin from 4C:5E:0C:11:22:33 via mac-winbox",
            ("admin", "4C:5E:0C:11:22:33", "mac-winbox"),
        ),
        ("user admin logged in from 10.0.0.5 via winbox", None),
        ("user admin logged out from 10.0.0.5 via winbox", None),
        ("router rebooted", None),
        ("", None),
    ],
)
def test_failed_logins_among_log_lines(message, expected):
    found = routerlog.failure(
        {"time": "10:11:12", "topics": "system,error,critical", "message": message}, WIB, NOW
    )
    assert found == (Failure(AT, *expected) if expected else None)


def test_a_failed_login_with_an_unreadable_time_is_skipped():
    row = {"time": "?", "message": "login failure for user admin from 10.0.0.5 via winbox"}
    assert routerlog.failure(row, WIB, NOW) is None


@pytest.mark.parametrize(
    "ids, last_seen, fresh, mark",
    [
        (["*1", "*2", "*3"], None, ["*1", "*2", "*3"], 3),  # first read
        (["*1", "*2", "*3"], 2, ["*3"], 3),
        (["*A", "*B"], 11, [], 11),  # nothing new
        (["*FF", "*100"], 0xFF, ["*100"], 0x100),  # hex
        (["*1", "*2"], 9, ["*1", "*2"], 2),  # numbered below the mark: rebooted
        ([], 9, [], 9),
        (["x", "*2"], 1, ["*2"], 2),
    ],
)
def test_only_lines_after_the_last_one_seen_are_new(ids, last_seen, fresh, mark):
    rows = [{"id": i} for i in ids]
    got, new_mark = routerlog.new_rows(rows, last_seen)
    assert [r["id"] for r in got] == fresh and new_mark == mark


def run(times, threshold=5, users=("admin",)):
    """Feed failures at `times` (seconds from AT) through step; [(new, alert)] and the burst."""
    burst, seen = None, []
    for n, seconds in enumerate(times):
        user = users[n % len(users)]
        burst, new, alert = routerlog.step(
            burst, Failure(AT + timedelta(seconds=seconds), user, "10.0.0.5", "ssh"), threshold
        )
        seen.append((new, alert))
    return seen, burst


def test_more_than_the_threshold_within_five_minutes_alerts_once():
    seen, burst = run([0, 10, 20, 30, 40, 50, 60, 70], users=("admin", "root"))
    assert [alert for _, alert in seen] == [False] * 5 + [True, False, False]
    assert [new for new, _ in seen] == [True] + [False] * 7
    assert burst == Burst(AT, AT + timedelta(seconds=70), 8, ("admin", "root"), (), True)


def test_exactly_the_threshold_does_not_alert():
    seen, _ = run([0, 10, 20, 30, 40])
    assert not any(alert for _, alert in seen)


def test_failures_spread_thinner_than_the_window_never_alert():
    seen, burst = run([n * 100 for n in range(20)])  # one every 100 s: three in any 5 minutes
    assert not any(alert for _, alert in seen) and burst.count == 20


def test_a_pause_of_five_minutes_ends_the_burst_and_the_next_one_alerts_again():
    seen, burst = run([0, 1, 2, 3, 4, 5, 6, 400, 401, 402, 403, 404, 405])
    assert [i for i, (_, alert) in enumerate(seen) if alert] == [5, 12]
    assert [i for i, (new, _) in enumerate(seen) if new] == [0, 7]
    assert burst.count == 6


# -- over the loopback router ------------------------------------------------------------


@pytest.fixture
def router():
    with branch_router() as peer:
        yield peer


@pytest.fixture
def app(app_factory, router):
    app = app_factory(TELEGRAM_ADMIN_CHAT_IDS=CHATS, NETMON_ROUTER_TIMEOUT=1, NETMON_LOGIN_FAILURES=5)
    reset_database(app)
    add_router(app, router)
    return app


def poll(app):
    with app.app_context():
        return logins.poll_all(app.config)


def bursts(app):
    with app.app_context():
        return [
            (b.alamat, b.pengguna, b.lewat, b.jumlah, b.dialertkan)
            for b in db.session.query(RouterLoginGagal).order_by(RouterLoginGagal.id)
        ]


def attack(router, count, address="10.0.0.5", users=("admin", "root"), via="winbox"):
    for n in range(count):
        router.login_failure(users[n % len(users)], address, via)


def test_an_attack_is_one_alert_with_the_address_users_and_count(app, router):
    router.add_log("user admin logged in from 10.0.0.7 via winbox")
    assert poll(app) == 0  # the first read only learns where the log stands
    attack(router, 4)
    router.login_failure("admin", "10.0.0.8", "ssh")  # someone else who mistyped once
    assert poll(app) == 0 and telegram_queue(app) == []
    attack(router, 2)
    assert poll(app) == 1
    told = telegram_queue(app)
    assert [chat for chat, _ in told] == CHATS
    text = told[0][1]
    for part in (
        "Percobaan login gagal",
        "router utama",
        "10.0.0.5",
        "lewat winbox",
        "admin, root",
        "6 kali",
    ):
        assert part in text
    # The attack goes on: counted, not alerted again.
    attack(router, 10)
    assert poll(app) == 0 and len(telegram_queue(app)) == len(CHATS)
    assert bursts(app) == [
        ("10.0.0.5", "admin, root", "winbox", 16, True),
        ("10.0.0.8", "admin", "ssh", 1, False),
    ]


def test_the_first_read_leaves_out_old_failures(app, router):
    for _ in range(10):
        router.login_failure("admin", "10.0.0.5", time_text="2024-05-01 10:11:12")
    assert poll(app) == 0 and bursts(app) == []
    attack(router, 6)
    assert poll(app) == 1


def test_a_rebooted_router_is_read_from_its_new_first_line(app, router):
    attack(router, 3)
    poll(app)
    for _ in range(3):
        router.add_log("some other line")
    poll(app)
    router.reboot_log()
    attack(router, 3)  # numbered *1.. again, below what was seen
    assert poll(app) == 1
    assert bursts(app)[0][3] == 6


def test_an_unreachable_router_is_skipped(app, router):
    router.stop()
    assert poll(app) == 0


def test_the_routers_page_shows_the_attack(app, router, client):
    poll(app)
    attack(router, 7, address="198.51.100.23", users=("admin", "support"), via="ssh")
    poll(app)
    html = login(client, "nikolai").get("/netmon/router").get_data(as_text=True)
    assert "Percobaan login gagal ke router" in html
    row = html[html.index("198.51.100.23") :]
    assert "admin, support" in row[:400] and ">7<" in row[:400]


def assert_burst_starts_now(app, router):
    """An attack made now on `router` is stored as a burst that started now (UTC)."""
    with app.app_context():
        poller.poll_all(app.config)  # the Netwatch poll reads the router's clock
    assert poll(app) == 0
    attack(router, 6)
    assert poll(app) == 1
    with app.app_context():
        (burst,) = db.session.query(RouterLoginGagal).all()
        started = burst.mulai
    assert abs(datetime.now(UTC).replace(tzinfo=None) - started) < timedelta(minutes=1)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Makassar"])
def test_log_times_are_read_in_the_routers_own_zone(app, router, zone):
    """A router on UTC (RouterOS's default) or WITA writes its log in its own time; the
    burst starts when it really did, not hours off as if the router were on WIB."""
    router.zone, router.zone_name = ZoneInfo(zone), zone
    assert_burst_starts_now(app, router)


def test_the_lines_of_a_router_clock_that_is_off_are_put_right(app, router):
    router.clock_skew = timedelta(hours=3)
    assert_burst_starts_now(app, router)
