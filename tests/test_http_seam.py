"""The one HTTP seam keeps honouring the institution's proxy settings."""

import threading

from app.messaging import http


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
