"""The background worker: the outgoing-queue sender plus the scheduled jobs of jobs.py.

`flask --app wsgi worker` runs it as its own process; with EMBEDDED_WORKER the web process
runs it in threads. A lease in the database makes sure only one of them is active.
"""

import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler

from . import lease, setup_check
from .jobs import JOBS, LOOPS, ON_ACTIVE
from .messaging import outbox
from .messaging.dispatcher import Dispatcher

log = logging.getLogger("sarpras.worker")

LEASE_NAME = "worker"
LEASE_SECONDS = 30
RENEW_SECONDS = 10


class Worker:
    def __init__(self, app):
        self.app = app
        self.owner = lease.owner_name()
        self.stopping = threading.Event()
        self.active = threading.Event()
        self.dispatcher = Dispatcher(app, self.owner)
        self.scheduler = BackgroundScheduler(timezone=app.config["TIMEZONE"])
        self.threads = []

    def start(self):
        # The sender is where a missing token shows; say it once at start, not per message.
        for warning in setup_check.warnings(self.app.config):
            log.warning(warning)
        for job in JOBS:
            if job.daily_at:
                hour, minute = job.daily_at
                trigger = {"trigger": "cron", "hour": hour, "minute": minute, "misfire_grace_time": 3600}
            else:
                seconds = self.app.config[job.seconds] if isinstance(job.seconds, str) else job.seconds
                trigger = {"trigger": "interval", "seconds": seconds}
            self.scheduler.add_job(
                self._run_job, args=[job], id=job.id, max_instances=1, coalesce=True, **trigger
            )
        self.scheduler.start()
        for target, name in ((self._keep_lease, "lease"), (self._send_loop, "outbox")):
            thread = threading.Thread(target=target, name=f"worker-{name}", daemon=True)
            thread.start()
            self.threads.append(thread)
        for loop in LOOPS:
            if loop.enabled(self.app.config):
                thread = threading.Thread(
                    target=loop.func,
                    args=(self.app, self.active, self.stopping),
                    name=f"worker-{loop.id}",
                    daemon=True,
                )
                thread.start()
                self.threads.append(thread)
        return self

    def _on_active(self):
        with self.app.app_context():
            for hook in ON_ACTIVE:
                try:
                    hook(self.app.config)
                except Exception:
                    log.exception("persiapan %s gagal", getattr(hook, "__name__", hook))

    def _run_job(self, job):
        if not self.active.is_set():
            return
        with self.app.app_context():
            try:
                job.func(self.app.config)
            except Exception:
                log.exception("job %s gagal", job.id)

    def _keep_lease(self):
        waiting_told = False
        while not self.stopping.is_set():
            try:
                with self.app.app_context():
                    held = lease.acquire(LEASE_NAME, self.owner, LEASE_SECONDS)
            except Exception:
                log.exception("lease")
                held = False
            if held and not self.active.is_set():
                log.info("worker %s aktif", self.owner)
                self._on_active()
                self.active.set()
                outbox.wake.set()
            elif not held and self.active.is_set():
                log.warning("worker %s kehilangan lease, berhenti sementara", self.owner)
                self.active.clear()
            elif not held and not waiting_told:
                # Otherwise a second worker (or a restart within the lease) looks stuck.
                log.info(
                    "worker %s menunggu: worker lain sedang aktif (lease %s detik)", self.owner, LEASE_SECONDS
                )
                waiting_told = True
            self.stopping.wait(RENEW_SECONDS if held else 2)

    def _send_loop(self):
        poll = self.app.config["OUTBOX_POLL_SECONDS"]
        batch = self.app.config["OUTBOX_BATCH"]
        gather = self.app.config["OUTBOX_GATHER_SECONDS"]
        while not self.stopping.is_set():
            if not self.active.wait(timeout=1):
                continue
            # Cleared before looking, so a message queued while we send wakes the next
            # round instead of waiting for the poll.
            outbox.wake.clear()
            try:
                handled = self.dispatcher.run_once()
            except Exception:
                log.exception("pengiriman antrian")
                handled = 0
            if not handled:
                outbox.wake.wait(timeout=poll)
            elif handled < batch:
                # Under a steady stream, sending each message the moment it arrives means
                # two write transactions per message competing with the webhooks for the
                # database; a short pause lets the next batch gather.
                self.stopping.wait(gather)

    def stop(self):
        if self.stopping.is_set():
            return  # stopped already (the CLI's signal handler, then atexit)
        self.stopping.set()
        outbox.wake.set()
        self.active.clear()
        self.scheduler.shutdown(wait=False)
        for thread in self.threads:
            thread.join(timeout=5)
        self.dispatcher.close()
        try:
            with self.app.app_context():
                lease.release(LEASE_NAME, self.owner)
        except Exception:
            log.exception("melepas lease")
