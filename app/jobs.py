"""The worker's scheduled jobs, as data: what runs, and how often."""

from dataclasses import dataclass

from .messaging import outbox


@dataclass(frozen=True)
class Job:
    id: str
    func: object  # called with the app's config inside an app context
    seconds: float


JOBS = [
    Job("outbox-reclaim", lambda config: outbox.reclaim_stale(config), seconds=30),
]
