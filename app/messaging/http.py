"""The one seam for HTTP to outside services (Fonnte, Telegram, Meta).

Every call has a timeout, a kept-alive session per thread, and fails with TransportError
that says what went wrong in words an admin can act on.
"""

import threading

import requests

_local = threading.local()


class TransportError(Exception):
    """A send that did not go through. `permanent` means retrying cannot help."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def _session():
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def post(url, *, timeout, data=None, json=None, headers=None):
    """POST and return the response; network failures become a transient TransportError."""
    try:
        return _session().post(url, data=data, json=json, headers=headers, timeout=(min(timeout, 5), timeout))
    except requests.Timeout:
        raise TransportError(f"Waktu habis menunggu jawaban dari {_host(url)}") from None
    except requests.ConnectionError:
        raise TransportError(f"Tidak dapat terhubung ke {_host(url)}") from None
    except requests.RequestException as error:
        raise TransportError(f"Permintaan ke {_host(url)} gagal: {error}") from None


def _host(url):
    return requests.utils.urlparse(url).netloc or url
