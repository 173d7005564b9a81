"""The file of a Fonnte message is fetched from public addresses only (no blind SSRF into
this server's network), with at most 3 redirects each checked the same way, unless
MEDIA_ALLOW_PRIVATE is on (tests and on-premise gateways)."""

import pytest

from app.extensions import db
from app.messaging import http
from app.messaging.addresses import address_refusal, url_refusal
from app.models import Media, Monitoring
from tests.conftest import MARTA, reset_database, send_wa
from tests.peers.files import JPEG, FileServer
from tests.test_photos import fetch, told


@pytest.mark.parametrize(
    "address, refused",
    [
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("::ffff:8.8.8.8", None),
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "privat"),
        ("172.16.0.1", "privat"),
        ("192.168.1.1", "privat"),
        ("fc00::1", "privat"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "tidak ditentukan"),
        ("::", "tidak ditentukan"),
        ("240.0.0.1", "privat"),  # reserved, which Python counts as private
        ("100.64.0.1", "bukan alamat publik"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "127.0.0.1 adalah alamat loopback"),  # IPv4-mapped
        ("::ffff:10.0.0.1", "10.0.0.1 adalah alamat privat"),
        ("2002:7f00:1::", "127.0.0.1 adalah alamat loopback"),  # 6to4 around 127.0.0.1
        ("localhost", "bukan alamat IP"),
    ],
)
def test_which_addresses_may_be_fetched_from(address, refused):
    refusal = address_refusal(address)
    assert refusal is None if refused is None else refused in refusal


@pytest.mark.parametrize(
    "url, refused",
    [
        ("http://files.example/a.jpg", None),
        ("HTTPS://files.example/a.jpg", None),
        ("file:///etc/passwd", "skema file"),
        ("ftp://files.example/a.jpg", "skema ftp"),
        ("gopher://127.0.0.1:3306/", "skema gopher"),
        ("//files.example/a.jpg", "skema (kosong)"),
        ("http:///a.jpg", "tanpa nama host"),
        ("http://files.example:x/a.jpg", "tidak valid"),
    ],
)
def test_which_urls_may_be_fetched(url, refused):
    refusal = url_refusal(url)
    assert refusal is None if refused is None else refused in refusal


@pytest.fixture
def files():
    server = FileServer().start()
    yield server
    server.stop()


@pytest.fixture
def strict(app_factory):
    """The production default: no fetching from private addresses."""
    app = app_factory(MEDIA_ALLOW_PRIVATE=False)
    reset_database(app)
    return app


def media_row(app):
    with app.app_context():
        row = db.session.query(Media).one()
        return row.status, row.galat


def report_with_photo(app, url):
    response = send_wa(app.test_client(), "#request keran patah", url=url, filename="keran.jpg")
    assert response.status_code == 200
    return response.json["id_track"]


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "2130706433",  # 127.0.0.1 as one number
        "[::ffff:127.0.0.1]",
    ],
)
def test_a_file_on_a_loopback_address_is_refused_and_the_reporter_told(strict, files, host):
    files.files["/wa/keran.jpg"] = (200, JPEG)
    url = files.url("/wa/keran.jpg").replace("127.0.0.1", host)
    id_track = report_with_photo(strict, url)

    assert fetch(strict) == 1

    assert files.hits == []
    status, galat = media_row(strict)
    assert status == "gagal" and "ditolak" in galat
    assert "adalah alamat loopback" in galat
    (reply,) = told(strict, MARTA)
    assert f"foto/berkas untuk laporan *{id_track}* tidak dapat kami terima" in reply
    assert "Laporan Anda tetap tercatat" in reply
    with strict.app_context():
        report = db.session.query(Monitoring).one()
        assert (report.id_track, report.gambar) == (id_track, "")


def chain(files, hops):
    """/hop0 -> /hop1 -> ... -> /file.jpg, `hops` redirects in all."""
    files.files["/file.jpg"] = (200, JPEG)
    for n in range(hops):
        target = f"/hop{n + 1}" if n + 1 < hops else "/file.jpg"
        files.redirects[f"/hop{n}"] = (302 if n % 2 else 301, target)
    return files.url("/hop0" if hops else "/file.jpg")


@pytest.mark.parametrize("hops", [0, 1, 3])
def test_up_to_three_redirects_are_followed(app, files, hops):
    report_with_photo(app, chain(files, hops))
    fetch(app)
    assert media_row(app)[0] == "selesai"
    assert files.hits[-1] == "/file.jpg" and len(files.hits) == hops + 1


def test_a_fourth_redirect_is_refused(app, files):
    id_track = report_with_photo(app, chain(files, 4))
    fetch(app)
    status, galat = media_row(app)
    assert status == "gagal" and "lebih dari 3 pengalihan" in galat
    assert "/file.jpg" not in files.hits
    assert f"*{id_track}* tidak dapat kami terima" in told(app, MARTA)[0]


def test_a_redirect_to_another_scheme_is_refused(app, files):
    files.redirects["/go"] = (302, "file:///etc/passwd")
    report_with_photo(app, files.url("/go"))
    fetch(app)
    status, galat = media_row(app)
    assert status == "gagal" and "skema file" in galat


def test_the_connection_goes_to_the_checked_address_keeping_the_name(files):
    """Against DNS rebinding: whatever the name resolves to later, the connection goes to
    the address that was checked, and the server still sees the name in Host."""
    files.files["/a.jpg"] = (200, JPEG)
    port = files.server.server_address[1]
    url = f"http://files.invalid:{port}/a.jpg"  # .invalid never resolves

    with http.open_pinned(url, "127.0.0.1", timeout=3) as response:
        assert response.status_code == 200 and response.content == JPEG
    assert files.hosts == [f"files.invalid:{port}"]
