"""/berkas/ serves a photo or PDF that a tb_media row records, and nothing else of the
instance folder, however the path is written. Requests go over a real socket with the
path exactly as typed (http.client does not normalise it)."""

import http.client
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Media, Monitoring
from tests.conftest import send_wa
from tests.peers.files import JPEG, FileServer
from tests.test_photos import fetch, photo

SECRET = "kunci-rahasia-uji"


@pytest.fixture
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.fixture
def instance(app):
    """The instance folder as a real installation has it: the key beside the uploads."""
    folder = Path(app.instance_path)
    (folder / "secret_key").write_text(SECRET)
    (folder / "uploads" / "2026").mkdir(parents=True, exist_ok=True)
    (folder / "uploads" / "2026" / "lepas.jpg").write_bytes(JPEG)
    return folder


def request(port, path, cookie=None, method="GET", body=None):
    """One request with the path sent exactly as written; (status, Set-Cookie, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, response.getheader("Set-Cookie"), response.read()
    connection.close()
    return result


@pytest.fixture
def staf_cookie(live):
    status, cookie, _ = request(live, "/login", method="POST", body="username=nikolai&password=sarpras123")
    assert status == 302
    return cookie.split(";", 1)[0]


@pytest.fixture
def stored_photo(app, client):
    files = FileServer().start()
    try:
        send_wa(client, "#request keran patah", **photo(files, "/wa/keran.jpg"))
        assert fetch(app) == 1
    finally:
        files.stop()
    with app.app_context():
        return db.session.query(Monitoring).one().gambar


def test_a_stored_photo_is_shown(live, staf_cookie, stored_photo):
    status, _, body = request(live, f"/berkas/{stored_photo}", staf_cookie)
    assert (status, body) == (200, JPEG)


TRAVERSALS = [
    "/berkas/secret_key",
    "/berkas/uploads/../secret_key",
    "/berkas/uploads/..%2fsecret_key",
    "/berkas/uploads/..%2Fsecret_key",
    "/berkas/uploads/%2e%2e/secret_key",
    "/berkas/uploads/%2e%2e%2fsecret_key",
    "/berkas/uploads/%2E%2E%2Fsecret_key",
    "/berkas/uploads/2026/..%2f..%2fsecret_key",
    "/berkas/uploads/./..%2fsecret_key",
    "/berkas/uploads/..%5csecret_key",
    "/berkas/uploads%2f..%2fsecret_key",
    "/berkas/%2e%2e%2fsecret_key",
    "/berkas/uploads/%252e%252e%252fsecret_key",
    "/berkas//etc/passwd",
    "/berkas/%2fetc%2fpasswd",
    "/berkas/uploads/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/berkas/uploads/%00../secret_key",
    "/berkas/test.db",
    "/berkas/uploads/..%2ftest.db",
    # a file under uploads/ that no row names
    "/berkas/uploads/2026/lepas.jpg",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_else_of_the_instance_folder_is_served(live, staf_cookie, instance, path):
    status, _, body = request(live, path, staf_cookie)
    # 308: Werkzeug first merges the double slash of an absolute path.
    assert status in (308, 400, 404), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body and body[:4] != JPEG[:4]


def test_a_row_naming_a_path_outside_uploads_serves_nothing(app, live, staf_cookie, instance):
    from app import clock

    with app.app_context():
        for berkas in ("uploads/../secret_key", "secret_key", str(instance / "secret_key")):
            db.session.add(
                Media(
                    url="x",
                    tabel="tb_monitoring",
                    id_baris=1,
                    status="selesai",
                    berkas=berkas,
                    coba_setelah=clock.utcnow(),
                    dibuat=clock.utcnow(),
                )
            )
        db.session.commit()
    for path in ("/berkas/uploads/..%2fsecret_key", "/berkas/secret_key", f"/berkas/{instance}/secret_key"):
        status, _, body = request(live, path, staf_cookie)
        assert status in (308, 404) and SECRET.encode() not in body, path


def test_a_visitor_without_a_login_gets_nothing(live, stored_photo):
    status, _, _ = request(live, f"/berkas/{stored_photo}")
    assert status == 302
