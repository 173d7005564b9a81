"""Which addresses a URL from a message may be fetched from. Pure: no network here.

A Fonnte message carries the URL of its file, and the webhook token is optional: anyone
could make the worker fetch from this server's own network (blind SSRF). Only public
addresses are fetched, checked after DNS resolution and again at every redirect, unless
MEDIA_ALLOW_PRIVATE says the gateway itself lives on the local network.
"""

import ipaddress
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
# The first that applies names the refusal (0.0.0.0 is also "private", :: also "reserved").
KINDS = (
    ("is_unspecified", "tidak ditentukan"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_private", "privat"),
    ("is_reserved", "cadangan"),
)


def address_refusal(address):
    """Why an IP address (a string, IPv4 or IPv6) may not be fetched from, or None."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} bukan alamat IP"
    # An IPv4 address inside IPv6 (::ffff:127.0.0.1, 6to4) reaches that IPv4 address.
    embedded = (ip.ipv4_mapped or ip.sixtofour) if ip.version == 6 else None
    if embedded is not None:
        return address_refusal(str(embedded))
    for test, kind in KINDS:
        if getattr(ip, test):
            return f"{ip} adalah alamat {kind}"
    if not ip.is_global:
        # e.g. 100.64.0.0/10, the carrier's shared space: not on the internet either.
        return f"{ip} bukan alamat publik"
    return None


def url_refusal(url):
    """Why a URL may not be fetched at all (scheme, no host), or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return "alamat berkas tidak valid"
    if parts.scheme.lower() not in SCHEMES:
        return f"skema {parts.scheme or '(kosong)'}: hanya http dan https"
    if not parts.hostname:
        return "alamat berkas tanpa nama host"
    return None
