"""Sending providers: one small class each, one send(), errors as TransportError."""

from .base import Accepted, OutgoingMessage, Provider
from .cloud import CloudProvider
from .fonnte import FonnteProvider
from .log import LogProvider
from .telegram import TelegramProvider

PROVIDERS = {}


def register(provider_class):
    name = provider_class.name
    if not name or name in PROVIDERS:
        raise RuntimeError(f"provider tanpa nama atau ganda: {name!r}")
    PROVIDERS[name] = provider_class


for _provider in (LogProvider, FonnteProvider, TelegramProvider, CloudProvider):
    register(_provider)


def for_channel(kanal, config):
    """The provider that sends messages of this channel under this configuration."""
    name = config["WA_PROVIDER"] if kanal == "whatsapp" else kanal
    try:
        return PROVIDERS[name](config)
    except KeyError:
        raise LookupError(f"provider {name!r} untuk kanal {kanal!r} tidak dikenal") from None


__all__ = ["PROVIDERS", "Accepted", "OutgoingMessage", "Provider", "for_channel", "register"]
