"""The one seam for HTTP to outside services (Fonnte, Telegram, Meta).

Every call has a timeout, a kept-alive session per thread, and fails with TransportError
that says what went wrong in words an admin can act on.
"""

import threading
from contextlib import contextmanager
from urllib.request import getproxies

import requests
import urllib3

_local = threading.local()


class TransportError(Exception):
    """A send that did not go through. `permanent` means retrying cannot help;
    `retry_after` (seconds) is when the other side asked us to try again (HTTP 429);
    `status` is the HTTP status when there was an answer (a caller may act on a 404);
    `in_doubt` means the request went out but no answer came back (a read timeout, the
    connection cut after sending): the other side may have acted on it."""

    def __init__(self, message, permanent=False, retry_after=None, status=None, in_doubt=False):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.status = status
        self.in_doubt = in_doubt
        # What a provider got done before failing, kept in the row's opsi for the retry
        # (e.g. the parts of a split message already sent).
        self.progress = None


def _session():
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        # The proxy settings of the environment are read once here: with trust_env on,
        # requests would also read ~/.netrc and the environment again for every send.
        session.trust_env = False
        proxies = getproxies()
        session.proxies.update({k: v for k, v in proxies.items() if k in ("http", "https")})
        if proxies.get("no"):
            session.proxies["no_proxy"] = proxies["no"]
    return session


@contextmanager
def _translated(url, what):
    """requests' exceptions as transient TransportErrors an admin can read. Failing to
    connect sent nothing; failing after that leaves the request in doubt."""
    try:
        yield
    except requests.ConnectTimeout:
        raise TransportError(f"Tidak dapat terhubung ke {_host(url)} (waktu habis)") from None
    except requests.Timeout:
        raise TransportError(f"Waktu habis menunggu jawaban {_host(url)}", in_doubt=True) from None
    except requests.ConnectionError as error:
        # A failure to connect (refused, TLS handshake, proxy) comes wrapped in urllib3's
        # MaxRetryError: the sessions retry nothing, and urllib3 counts only those as
        # retryable; a connection that drops once the request is on its way does not.
        if _before_sending(error):
            raise TransportError(f"Tidak dapat terhubung ke {_host(url)}") from None
        raise TransportError(
            f"Sambungan ke {_host(url)} terputus sebelum ada jawaban", in_doubt=True
        ) from None
    except requests.exceptions.ChunkedEncodingError:
        raise TransportError(f"Jawaban {_host(url)} terpotong", in_doubt=True) from None
    except requests.RequestException as error:
        raise TransportError(f"{what} ke {_host(url)} gagal: {error}") from None


def _before_sending(error):
    return bool(error.args) and isinstance(error.args[0], urllib3.exceptions.MaxRetryError)


def _bypass(url):
    """Request-level proxies that skip the proxy for hosts in no_proxy (with trust_env off,
    requests no longer checks no_proxy itself)."""
    no_proxy = _session().proxies.get("no_proxy")
    if no_proxy and requests.utils.should_bypass_proxies(url, no_proxy=no_proxy):
        return {"http": None, "https": None}
    return None


def post(url, *, timeout, data=None, json=None, headers=None, files=None):
    """POST and return the response; network failures become a transient TransportError."""
    with _translated(url, "Permintaan"):
        return _session().post(
            url,
            data=data,
            json=json,
            files=files,
            headers=headers,
            timeout=(min(timeout, 5), timeout),
            proxies=_bypass(url),
        )


def get(url, *, timeout, params=None, headers=None):
    """GET and return the response; network failures become a transient TransportError."""
    with _translated(url, "Permintaan"):
        return _session().get(
            url,
            params=params,
            headers=headers,
            timeout=(min(timeout, 5), timeout),
            proxies=_bypass(url),
        )


def _host(url):
    return requests.utils.urlparse(url).netloc or url


def download(url, *, timeout, max_bytes, headers=None):
    """GET a file into memory, refusing it once it grows past max_bytes."""
    with (
        _translated(url, "Unduhan"),
        _session().get(
            url,
            headers=headers,
            timeout=(min(timeout, 5), timeout),
            stream=True,
            proxies=_bypass(url),
        ) as response,
    ):
        status = response.status_code
        if 400 <= status < 500:
            raise TransportError(f"Berkas tidak tersedia (HTTP {status})", permanent=True, status=status)
        if status >= 500:
            raise TransportError(f"Server berkas menjawab HTTP {status}", status=status)
        if int(response.headers.get("Content-Length") or 0) > max_bytes:
            raise TransportError(too_large(max_bytes), permanent=True)
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise TransportError(too_large(max_bytes), permanent=True)
            chunks.append(chunk)
        return b"".join(chunks)


def too_large(max_bytes):
    return f"Berkas lebih dari {max_bytes // (1024 * 1024)} MB"
