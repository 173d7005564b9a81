"""The one shape every provider's incoming message is turned into."""

from dataclasses import dataclass


@dataclass(frozen=True)
class InboundMessage:
    provider: str
    sender: str  # canonical 62… number of the person who wrote
    text: str
    name: str = ""  # WhatsApp profile name
    # The provider's id for this delivery; a repeat with the same id is handled once.
    delivery_id: str | None = None
    is_group: bool = False
    group: str = ""
    from_self: bool = False  # sent by our own device
    media_url: str = ""
    media_filename: str = ""
    media_extension: str = ""
    # Stored in tb_in but not answered, with this as its keterangan (a reaction, a
    # WhatsApp system notice).
    ignored: str = ""
    # A kind of message we cannot read (voice note, sticker, location...): answered with a
    # polite note naming it.
    unsupported: str = ""
