from dataclasses import dataclass


@dataclass(frozen=True)
class OutgoingMessage:
    tujuan: str
    pesan: str
    media_url: str = ""
    media_nama: str = ""


class Provider:
    name = ""

    def __init__(self, config):
        self.config = config

    def send(self, message):
        """Hand the message to the provider; return the provider's message id ('' if none).

        Raises TransportError (permanent or not) when it was not accepted.
        """
        raise NotImplementedError
