"""Every response carries the headers that stop framing (clickjacking), content sniffing
and the panel's addresses leaking to other sites."""

import pytest

from tests.conftest import login, send_wa

EXPECTED = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize(
    "name, request_",
    [
        ("panel page", lambda c: login(c, "nikolai").get("/beranda")),
        ("print page", lambda c: login(c, "nikolai").get("/cetak/laporan")),
        ("login page", lambda c: c.get("/login")),
        ("not found page", lambda c: c.get("/tidak-ada")),
        ("webhook", lambda c: send_wa(c, "#request lampu aula mati")),
        ("webhook refusal", lambda c: c.post("/webhook/fonnte", data=b"{", content_type="application/json")),
        ("static file", lambda c: c.get("/static/vendor/chart.umd.js")),
        ("favicon", lambda c: c.get("/favicon.ico")),
    ],
)
def test_every_response_carries_the_security_headers(app, client, name, request_):
    response = request_(client)

    assert response.status_code < 500
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, header
