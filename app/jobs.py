"""The worker's scheduled jobs, as data: what runs, and how often."""

from dataclasses import dataclass

from . import login_throttle
from .database import run_in_transaction
from .messaging import delivery, outbox
from .netmon import checks, logins, poller, routers, telegram_poller
from .netmon import reminders as netmon_reminders
from .panel import importer, stats
from .reporting import lifecycle, office, photos, reminders


@dataclass(frozen=True)
class Job:
    id: str
    func: object  # called with the app's config inside an app context
    seconds: float | str | None = None  # run every so many seconds (or a config key naming them)...
    daily_at: tuple[int, int] | None = None  # ...or each day at (hour, minute), TIMEZONE


def _in_transaction(work):
    return lambda config: run_in_transaction(work)


JOBS = [
    Job("outbox-reclaim", outbox.reclaim_stale, seconds=30),
    Job("delivery-purge", delivery.purge_waiting, seconds=3600),
    Job("login-failures-purge", login_throttle.purge, seconds=3600),
    Job("media-fetch", photos.fetch_due, seconds=2),
    Job("auto-close", _in_transaction(lifecycle.auto_close_due), seconds=600),
    Job("remind-petugas", _in_transaction(reminders.remind_petugas), daily_at=(7, 0)),
    Job("digest-administrator", _in_transaction(reminders.digest_for_administrators), daily_at=(7, 0)),
    Job("office-summary", _in_transaction(office.daily_summary), daily_at=(7, 0)),
    Job("netmon-poll", poller.poll_all, seconds="NETMON_INTERVAL"),
    Job("netmon-checks", checks.run_due, seconds="NETMON_INTERVAL"),
    Job("netmon-reminders", netmon_reminders.send_due, seconds=30),
    Job("netmon-logins", logins.poll_all, seconds=logins.LOG_SECONDS),
    Job("dashboard-stats", stats.refresh, seconds=60),
    Job("import-previews-purge", lambda config: importer.purge_previews(config["INSTANCE_DIR"]), seconds=600),
]


@dataclass(frozen=True)
class Loop:
    """A long-running loop, run on its own thread: func(app, active, stopping) must do its
    work only while `active` (this worker holds the lease) and return once `stopping`."""

    id: str
    func: object
    enabled: object  # config -> bool


LOOPS = [Loop("telegram", telegram_poller.run, telegram_poller.enabled)]

# Run each time this worker takes the lease, before its jobs: called with the config.
# A worker restarted after a crash takes back the dead one's claims before it sends.
ON_ACTIVE = [outbox.reclaim_stale, routers.ensure_config_router]
