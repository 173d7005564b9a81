from dataclasses import dataclass


@dataclass(frozen=True)
class OutgoingMessage:
    tujuan: str
    pesan: str
    media_url: str = ""
    media_nama: str = ""
    opsi: dict | None = None  # channel-specific extras (Telegram: reply_markup)


class Provider:
    name = ""

    def __init__(self, config):
        self.config = config

    def send(self, message):
        """Hand the message to the provider; return the provider's message id ('' if none).

        Raises TransportError (permanent or not) when it was not accepted.
        """
        raise NotImplementedError
