"""Sends what the outgoing queue holds: claim a batch, send it, record each result."""

import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from . import outbox, window
from .http import TransportError
from .providers import Accepted, OutgoingMessage, for_channel

log = logging.getLogger("sarpras.outbox")

# At most one early retry this often while WhatsApp sends fail (see _probe_while_failing).
PROBE_SECONDS = 30


class Dispatcher:
    def __init__(self, app):
        self.app = app
        self.config = app.config
        self.watch = None  # device_health.SendWatch, made on first use
        # True after a WhatsApp send failed for now (and at start: retries may be waiting
        # from before a restart); the next success sends every waiting retry at once.
        self.whatsapp_recovering = True
        self.last_probe = float("-inf")
        self.pool = ThreadPoolExecutor(
            max_workers=app.config["OUTBOX_SEND_THREADS"], thread_name_prefix="outbox-send"
        )

    def run_once(self):
        """Send one batch; return how many rows were handled."""
        with self.app.app_context():
            claimed = outbox.claim(self.config["OUTBOX_BATCH"])
            if not claimed and self._probe_while_failing():
                claimed = outbox.claim(self.config["OUTBOX_BATCH"])
            if not claimed:
                return 0
            last_inbound = self._last_inbound(claimed)
            # Messages to one person go out in order; different people in parallel.
            by_target = defaultdict(list)
            for item in claimed:
                by_target[(item.kanal, item.tujuan)].append(item)
            batches = [(items, last_inbound.get(key[1])) for key, items in by_target.items()]
            results = [r for batch in self.pool.map(self._send_all, batches) for r in batch]
            for result in results:
                if result.error is not None:
                    log.warning("kirim #%s gagal: %s", result.ido, result.error)
            outbox.record(results, self.config)
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

    def _send_all(self, batch):
        """One person's messages, in order; after one fails for now, the rest wait for it."""
        items, last_inbound = batch
        results = []
        for item in items:
            last = results[-1] if results else None
            if last is not None and (last.held or (last.error is not None and not last.error.permanent)):
                results.append(outbox.Result(item.ido, "", held=True))
            else:
                results.append(self._send(item, last_inbound))
        return results

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
            return outbox.Result(
                item.ido,
                provider_name,
                accepted.provider_id,
                keterangan=accepted.keterangan,
                part_ids=accepted.part_ids,
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
