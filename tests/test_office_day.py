"""Issue #12's acceptance: one report through the office's day, over the loopback Fonnte
peer. An automatic category with a two-person team is made with the CLI; a matching
#request is categorised and assigned to the team; both members, the Administrator and the
Staf are told by WhatsApp; each member's #job lists it; one member's #report reaches the
reporter once (with REVIEW_TBO_REPORTS on, only after a Staf approved it, as corrected);
the dashboard counts it under its category."""

import re

import pytest

from app.extensions import db
from app.models import Kerja, Monitoring
from app.reporting import categories
from tests.conftest import DERY, MARTA, NIKOLAI, drain, login, send_wa
from tests.test_routing import ADRASHA, SISWANTO, fonnte_app, kategori, pj, request  # noqa: F401

TEAM = (SISWANTO, ADRASHA)


def sent_since(fonnte, start):
    """{number: [texts]} of what reached the Fonnte peer after its `start`th message."""
    by_target = {}
    for message in fonnte.received[start:]:
        by_target.setdefault(message["target"], []).append(message["message"])
    return by_target


def dashboard_row(page, nama):
    """(reports, open) in the dashboard's per-category table for `nama`."""
    table = page.split('id="per-kategori"')[1].split("</table>")[0]
    found = re.search(
        rf'<td>{nama}</td><td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>', table
    )
    return found and (int(found[1]), int(found[2]))


def approved_by_staf(app, number, corrected):
    """The Staf approves the one waiting TBO message of the report on the panel."""
    with app.app_context():
        (idn,) = db.session.query(Kerja.idn).filter_by(id_track=number, validasi="Menunggu validasi").one()
    staf = login(app.test_client(), "nikolai")
    assert 'id="validasi-badge"' in staf.get("/validasi").get_data(as_text=True)
    page = staf.post(
        f"/laporan/{number}/validasi/{idn}/setujui",
        data={"pesan": corrected, "kembali": "daftar"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Laporan petugas {number} disetujui" in page
    with app.app_context():
        kerja = db.session.get(Kerja, idn)
        assert (kerja.validasi, kerja.id_admin, kerja.id_petugas) == ("Disetujui", "ADM03", "ADM05")


@pytest.mark.parametrize("review", [False, True], ids=["langsung", "validasi"])
def test_a_report_through_the_office_day(fonnte_app, fonnte, review):  # noqa: F811
    app = fonnte_app
    app.config["REVIEW_TBO_REPORTS"] = review
    kategori(
        app, "Jaringan", "--kata", "wifi,internet,jaringan", "--petugas", "siswanto,adrasha", "--otomatis"
    )
    listed = app.test_cli_runner().invoke(args=["kategori", "list"]).output
    assert "Jaringan" in listed and "Siswanto" in listed and "Adrasha" in listed

    # A reporter writes; the text names the category's keyword.
    number = request(app.test_client(), "WiFi lantai 3 gedung A mati sejak pagi")
    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=number).one()
        assert categories.name_of(report.id_bidang) == "Jaringan"
        assert report.kategori == "Request"  # the kind of message, as the source document has it
    assert pj(app, number) == [("ADM04", "sistem"), ("ADM05", "sistem")]

    drain(app)
    told = sent_since(fonnte, 0)
    assert sorted(told) == sorted([MARTA, DERY, NIKOLAI, *TEAM])
    for member in TEAM:
        (assignment,) = told[member]
        assert f"Anda ditugaskan sebagai PJ laporan *{number}*" in assignment
        assert "Tim: Siswanto (ketua), Adrasha" in assignment
    for office in (DERY, NIKOLAI):
        (notice,) = told[office]
        assert notice.startswith("*Laporan Baru BRT ISTN*")
        assert f"Nomor Tracking: *{number}*" in notice and "Kategori: Jaringan" in notice
    tracking, team_notice = told[MARTA]
    assert number in tracking and "Siswanto dan Adrasha" in team_notice

    # Each member asks for their jobs and finds it.
    tbo = app.test_client()
    start = len(fonnte.received)
    for member in TEAM:
        send_wa(tbo, "#job", sender=member)
    drain(app)
    for member, (jobs,) in sorted(sent_since(fonnte, start).items()):
        assert member in TEAM
        assert "tugas Anda (1)" in jobs and number in jobs

    # One member's progress reaches the reporter once, not once per member; under review
    # only once a Staf approved it, in the Staf's words.
    start = len(fonnte.received)
    send_wa(tbo, f"#report {number} access point diganti, menunggu uji", sender=ADRASHA)
    drain(app)
    if review:
        told = sent_since(fonnte, start)
        (ack,) = told.pop(ADRASHA)
        assert "validasi" in ack.lower()
        assert told == {}  # the reporter waits
        start = len(fonnte.received)
        approved_by_staf(app, number, "Access point sudah diganti, sedang diuji.")
        drain(app)
    drain(app)  # nothing left over to send again
    told = sent_since(fonnte, start)
    (progress,) = told[MARTA]
    assert f"Perkembangan laporan *{number}*" in progress
    assert ("Access point sudah diganti, sedang diuji." if review else "access point diganti") in progress
    assert sorted(told) == [MARTA, ADRASHA]  # and the member's acknowledgement (or approval)

    # The dashboard counts it under its category, still open.
    panel = login(app.test_client(), "admin")
    page = panel.get("/beranda").get_data(as_text=True)
    assert dashboard_row(page, "Jaringan") == (1, 1)
    assert dashboard_row(page, "Umum") == (0, 0)
