import logging

from .base import Provider

log = logging.getLogger("sarpras.outbox")


class LogProvider(Provider):
    """Development: the message is only stored (and shown in the panel) and logged."""

    name = "log"

    def send(self, message):
        log.info("WA ke %s: %s", message.tujuan, message.pesan.replace("\n", " | "))
        return ""
