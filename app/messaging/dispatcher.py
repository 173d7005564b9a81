"""Sends what the outgoing queue holds: claim a batch, send it (each send noted in the
worker's journal), record the results."""

import logging
import queue
import time
from collections import defaultdict
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor

from .. import lease
from . import outbox, window
from .http import TransportError
from .journal import Journal
from .providers import Accepted, OutgoingMessage, for_channel

log = logging.getLogger("sarpras.outbox")

# At most one early retry this often while WhatsApp sends fail (see _probe_while_failing).
PROBE_SECONDS = 30


class Dispatcher:
    def __init__(self, app, owner=""):
        self.app = app
        self.config = app.config
        self.owner = owner or lease.owner_name()  # on each row it claims
        self.journal = Journal(app.config["INSTANCE_DIR"], self.owner)
        self.watch = None  # device_health.SendWatch, made on first use
        # True after a WhatsApp send failed for now (and at start: retries may be waiting
        # from before a restart); the next success sends every waiting retry at once.
        self.whatsapp_recovering = True
        self.last_probe = float("-inf")
        self.broken_off = False  # a batch ended in an error (the database went away)
        self.threads = app.config["OUTBOX_SEND_THREADS"]
        self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="outbox-send")

    def run_once(self):
        """Send one batch; return how many rows were handled."""
        with self.app.app_context():
            if self.broken_off:
                # What the last batch still held would otherwise wait for a restart: the
                # timeout spares the active worker's claims.
                outbox.release_claims(self.owner, self.config)
                self.journal.clear()
                self.broken_off = False
            claimed = outbox.claim(self.config["OUTBOX_BATCH"], self.owner)
            if not claimed and self._probe_while_failing():
                claimed = outbox.claim(self.config["OUTBOX_BATCH"], self.owner)
            if not claimed:
                return 0
            last_inbound = self._last_inbound(claimed)
            # Messages to one person go out in order; different people in parallel.
            by_target = defaultdict(list)
            for item in claimed:
                by_target[(item.kanal, item.tujuan)].append(item)
            people = queue.SimpleQueue()
            for key, items in by_target.items():
                people.put((items, last_inbound.get(key[1])))
            try:
                results = self._send_batch(people, min(self.threads, len(by_target)))
                outbox.record(results, self.config)
            except Exception:
                self.broken_off = True
                raise
            self.journal.clear()  # only ever the batch in progress
            self._watch_whatsapp(claimed, results)
            self._retry_after_recovery(claimed, results)
            return len(claimed)

    def _probe_while_failing(self):
        """While WhatsApp sends fail, try again now and then a message that holds back a
        newer one to the same person: its success is how we learn the provider is back."""
        now = time.monotonic()
        if not self.whatsapp_recovering or now - self.last_probe < PROBE_SECONDS:
            return False
        self.last_probe = now
        return outbox.retry_one_holding_back("whatsapp", self.config["OUTBOX_MAX_ATTEMPTS"]) > 0

    def _retry_after_recovery(self, claimed, results):
        """WhatsApp took a message after sends had failed (or for the first time since
        this worker started): what waits for a retry goes now."""
        whatsapp = {item.ido for item in claimed if item.kanal == "whatsapp"}
        outcomes = [r for r in results if r.ido in whatsapp and not r.held]
        if any(r.error is not None and not r.error.permanent for r in outcomes):
            self.whatsapp_recovering = True
        elif self.whatsapp_recovering and any(r.error is None for r in outcomes):
            self.whatsapp_recovering = False
            outbox.retry_now("whatsapp")

    def _watch_whatsapp(self, claimed, results):
        """Tell device health how the WhatsApp sends of this batch went."""
        # Imported here: device_health reaches the Telegram alerts, which use the outbox.
        from ..device_health import SendWatch

        whatsapp = {item.ido for item in claimed if item.kanal == "whatsapp"}
        mine = [r for r in results if r.ido in whatsapp and not r.held]
        if not mine:
            return
        if self.watch is None:
            self.watch = SendWatch(self.config)
        failed = [r for r in mine if r.error is not None]
        self.watch.observe(
            self.config["WA_PROVIDER"],
            successes=len(mine) - len(failed),
            failures=len(failed),
            last_error=str(failed[-1].error) if failed else "",
        )

    def _last_inbound(self, claimed):
        """When each WhatsApp recipient last wrote, if the provider needs to know."""
        try:
            provider = for_channel("whatsapp", self.config)
        except LookupError:
            return {}
        if not provider.needs_last_inbound:
            return {}
        return window.last_inbound(item.tujuan for item in claimed if item.kanal == "whatsapp")

    def _send_batch(self, people, lanes):
        """Send from `lanes` threads at once; every result once all have finished."""
        running = [self.pool.submit(self._lane, people) for _ in range(lanes)]
        futures.wait(running)  # none may still be sending when a broken-off batch is released
        return [r for lane in running for r in lane.result()]

    def _lane(self, people):
        """One send thread's share of the batch: one person's messages after another's.
        Each send is noted in the journal just before and just after: after a crash, only
        the ones on the wire at that instant are in doubt."""
        results = []
        while True:
            try:
                items, last_inbound = people.get_nowait()
            except queue.Empty:
                return results
            for position, item in enumerate(items):
                if position and _holds_back(results[-1]):
                    # After one fails for now, this person's later messages wait for it.
                    results += [outbox.Result(later.ido, "", held=True) for later in items[position:]]
                    break
                self.journal.started(item.ido)
                result = self._send(item, last_inbound)
                self.journal.finished(result)
                results.append(result)
                if result.error is not None:
                    log.warning("kirim #%s gagal: %s", item.ido, result.error)

    def _send(self, item, last_inbound=None):
        provider_name = ""
        message = OutgoingMessage(
            item.tujuan,
            item.pesan,
            item.media_url,
            item.media_nama,
            item.opsi,
            last_inbound=last_inbound if item.kanal == "whatsapp" else None,
        )
        try:
            provider = for_channel(item.kanal, self.config)
            provider_name = provider.name
            accepted = provider.send(message)
            if not isinstance(accepted, Accepted):
                accepted = Accepted(provider_id=accepted or "")
            note = accepted.keterangan
            if item.in_doubt:
                note = "; ".join(filter(None, (outbox.RESENT_AFTER_DOUBT, note)))
            return outbox.Result(
                item.ido, provider_name, accepted.provider_id, keterangan=note, part_ids=accepted.part_ids
            )
        except TransportError as error:
            return outbox.Result(item.ido, provider_name, error=error)
        except LookupError as error:
            return outbox.Result(item.ido, provider_name, error=TransportError(str(error), permanent=True))
        except Exception as error:  # a bug in a provider must not stop the worker
            log.exception("provider %s", provider_name)
            return outbox.Result(item.ido, provider_name, error=TransportError(f"Galat internal: {error}"))

    def drain(self):
        """Send until nothing is due (tests, CLI)."""
        total = 0
        while (handled := self.run_once()) > 0:
            total += handled
        return total

    def close(self):
        self.pool.shutdown(wait=True)
        self.journal.close()


def _holds_back(result):
    """Whether a person's later messages must wait for this one."""
    return result.held or (result.error is not None and not result.error.permanent)
