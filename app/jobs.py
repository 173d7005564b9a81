"""The worker's scheduled jobs, as data: what runs, and how often."""

from dataclasses import dataclass

from .database import run_in_transaction
from .messaging import media, outbox
from .reporting import lifecycle, reminders


@dataclass(frozen=True)
class Job:
    id: str
    func: object  # called with the app's config inside an app context
    seconds: float | None = None  # run every so many seconds...
    daily_at: tuple[int, int] | None = None  # ...or each day at (hour, minute), TIMEZONE


def _in_transaction(work):
    return lambda config: run_in_transaction(work)


JOBS = [
    Job("outbox-reclaim", outbox.reclaim_stale, seconds=30),
    Job("media-fetch", media.fetch_due, seconds=2),
    Job("auto-close", _in_transaction(lifecycle.auto_close_due), seconds=600),
    Job("remind-petugas", _in_transaction(reminders.remind_petugas), daily_at=(7, 0)),
    Job("digest-administrator", _in_transaction(reminders.digest_for_administrators), daily_at=(7, 0)),
]
