"""The one seam for HTTP to outside services (Fonnte, Telegram, Meta).

Every call has a timeout, a kept-alive session per thread, and fails with TransportError
that says what went wrong in words an admin can act on.
"""

import socket
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit
from urllib.request import getproxies

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ..redaction import redact
from . import addresses

_local = threading.local()


class TransportError(Exception):
    """A send that did not go through. `permanent` means retrying cannot help;
    `retry_after` (seconds) is when the other side asked us to try again (HTTP 429);
    `status` is the HTTP status when there was an answer (a caller may act on a 404);
    `in_doubt` means the request went out but no answer came back (a read timeout, the
    connection cut after sending): the other side may have acted on it."""

    def __init__(self, message, permanent=False, retry_after=None, status=None, in_doubt=False):
        # The text is stored in the outbox and shown in the panel: a library's message
        # can hold the URL, and a Telegram URL holds the bot token.
        super().__init__(redact(message))
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
    # Host and port only: the netloc may carry user:password@.
    netloc = requests.utils.urlparse(url).netloc.rpartition("@")[2]
    return netloc or redact(url)


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
        return _read(response, max_bytes)


def _read(response, max_bytes):
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


MAX_REDIRECTS = 3


def download_from_anywhere(url, *, timeout, max_bytes, allow_private=False):
    """download() for a URL someone else gave us (a Fonnte message's file).

    Only http and https, and (unless allow_private) only public addresses: the host is
    resolved, every address it has is checked, and the connection goes to the checked
    address itself, so a DNS answer that changes in between (rebinding) cannot lead
    elsewhere. At most MAX_REDIRECTS redirects, each checked the same way.
    """
    for _ in range(MAX_REDIRECTS + 1):
        refusal = addresses.url_refusal(url)
        if refusal:
            raise TransportError(f"Alamat berkas ditolak: {refusal}", permanent=True)
        with _translated(url, "Unduhan"), _open_checked(url, timeout, allow_private) as response:
            if not response.is_redirect:
                return _read(response, max_bytes)
            url = requests.compat.urljoin(url, response.headers["Location"])
    raise TransportError(f"Alamat berkas ditolak: lebih dari {MAX_REDIRECTS} pengalihan", permanent=True)


def _open_checked(url, timeout, allow_private):
    proxies = _bypass(url)
    if allow_private:
        return _session().get(url, proxies=proxies, **_single_hop(timeout))
    address = public_address(url)
    if proxies is None and _session().proxies.get(urlsplit(url).scheme):
        # The proxy resolves the name itself: the check above is all we can do.
        return _session().get(url, **_single_hop(timeout))
    return open_pinned(url, address, timeout=timeout)


def _single_hop(timeout):
    return dict(timeout=(min(timeout, 5), timeout), stream=True, allow_redirects=False)


@contextmanager
def open_pinned(url, address, *, timeout):
    """GET url (one hop, streamed) from `address`, whatever its host resolves to now."""
    with requests.Session() as pinned:
        pinned.trust_env = False
        pinned.mount("http://", _PinnedAdapter(address))
        pinned.mount("https://", _PinnedAdapter(address))
        with pinned.get(url, headers={"Host": _host_header(url)}, **_single_hop(timeout)) as response:
            yield response


def _host_header(url):
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port}" if parts.port else host


def public_address(url):
    """The address to connect to for url's host, once every address it resolves to is
    public; else a permanent TransportError."""
    parts = urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise TransportError(f"Nama host {parts.hostname} tidak ditemukan") from None
    resolved = [info[4][0] for info in found]
    for address in resolved:
        refusal = addresses.address_refusal(address)
        if refusal:
            raise TransportError(f"Alamat berkas ditolak: {refusal}", permanent=True)
    return resolved[0]


class _PinnedAdapter(HTTPAdapter):
    """Connects to one given address whatever the URL's host resolves to now, while the
    Host header (set by the caller) and TLS (SNI, certificate check) keep the name."""

    def __init__(self, address):
        self.address = address
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        name = host_params["host"]
        if host_params["scheme"] == "https":
            pool_kwargs = dict(pool_kwargs, server_hostname=name, assert_hostname=name)
        return self.poolmanager.connection_from_host(
            **dict(host_params, host=self.address), pool_kwargs=pool_kwargs
        )


def too_large(max_bytes):
    return f"Berkas lebih dari {max_bytes // (1024 * 1024)} MB"
