"""The one HTTP seam keeps honouring the institution's proxy settings."""

import threading

import pytest

from app.messaging import http
from tests.peers.broken import BrokenPeer
from tests.processes import free_port


def session_in_new_thread():
    found = {}
    thread = threading.Thread(target=lambda: found.setdefault("session", http._session()))
    thread.start()
    thread.join()
    return found["session"]


def test_it_reads_the_proxy_from_the_environment(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy.kampus.local:3128")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    session = session_in_new_thread()
    assert session.proxies["https"] == "http://proxy.kampus.local:3128"
    assert session.proxies["no_proxy"] == "127.0.0.1,localhost"
    assert session.trust_env is False


def test_hosts_in_no_proxy_are_reached_directly(monkeypatch):
    from tests.peers.fonnte import FakeFonnte

    peer = FakeFonnte().start()
    try:
        monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        result = {}

        def send():
            http._local.__dict__.clear()
            result["response"] = http.post(
                peer.url,
                data={"target": "62812", "message": "x"},
                timeout=3,
                headers={"Authorization": peer.token},
            )

        thread = threading.Thread(target=send)
        thread.start()
        thread.join()
        assert result["response"].json()["status"] is True
    finally:
        peer.stop()


@pytest.mark.parametrize(
    "behaviour, in_doubt, words",
    [
        ("refused", False, "Tidak dapat terhubung"),  # nothing was sent
        ("close", True, "terputus sebelum ada jawaban"),
        ("hang", True, "Waktu habis menunggu jawaban"),
        ("cut", True, "terpotong"),
    ],
)
def test_a_request_that_went_out_without_an_answer_is_in_doubt(behaviour, in_doubt, words):
    """Only a failure to connect says for sure that the provider got nothing."""
    peer = None if behaviour == "refused" else BrokenPeer(behaviour).start()
    url = peer.url if peer else f"http://127.0.0.1:{free_port()}/send"
    try:
        with pytest.raises(http.TransportError) as raised:
            http.post(url, data={"target": "62812", "message": "x"}, timeout=0.5)
    finally:
        if peer:
            peer.stop()
    assert raised.value.in_doubt is in_doubt
    assert words in str(raised.value)
    assert not raised.value.permanent
