from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OutgoingMessage:
    tujuan: str
    pesan: str
    media_url: str = ""
    media_nama: str = ""
    opsi: dict | None = None  # channel-specific extras (Telegram: reply_markup)
    # WhatsApp: when the recipient last wrote to us (UTC, naive), None if never. The Cloud
    # API refuses free-form messages 24 hours after that; a template must go instead.
    last_inbound: datetime | None = None


@dataclass(frozen=True)
class Accepted:
    """What a provider says when it took a message."""

    provider_id: str = ""
    # For the admin reading the outbox, e.g. why the message went as a template.
    keterangan: str = ""
    # Every part's id, in order, when the message went as several (the last is provider_id).
    part_ids: tuple = ()


class Provider:
    name = ""
    # Whether send() wants OutgoingMessage.last_inbound filled in (costs a query).
    needs_last_inbound = False

    def __init__(self, config):
        self.config = config

    def send(self, message):
        """Hand the message to the provider; return Accepted (or just the provider's
        message id, '' if none).

        Raises TransportError (permanent or not) when it was not accepted.
        """
        raise NotImplementedError
