"""Routing: a new report of an automatic category goes to its team at once, through the
panel's assignment service; without `otomatis` the team is only suggested in the form."""

import pytest

from app.extensions import db
from app.models import Admin, Audit, Monitoring, Penugasan
from app.reporting import lifecycle, service
from tests.conftest import MARTA, drain, reset_database, send_wa

SISWANTO = "6282124603757"  # TBO ADM04
ADRASHA = "628998848947"  # TBO ADM05


def kategori(app, *args):
    result = app.test_cli_runner().invoke(args=["kategori", "add", *args])
    assert result.exit_code == 0, result.output


def request(client, text):
    response = send_wa(client, f"#request {text}")
    assert response.status_code == 200, response.get_json()
    return response.json["id_track"]


def pj(app, id_track):
    """The report's PJ in order, the lead first, with who gave each assignment."""
    with app.app_context():
        rows = db.session.query(Penugasan).filter_by(id_track=id_track).order_by(Penugasan.idp)
        return [(row.id_admin, row.pemberi) for row in rows]


def assign(app, id_track, *petugas):
    with app.app_context():
        lifecycle.assign_team(service.find_report(id_track), [db.session.get(Admin, p) for p in petugas])
        db.session.commit()


@pytest.fixture
def fonnte_app(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    return app


def test_a_request_lands_in_an_automatic_two_person_team_over_fonnte(fonnte_app, fonnte):
    app = fonnte_app
    kategori(
        app, "Jaringan", "--kata", "wifi,internet,jaringan", "--petugas", "siswanto,adrasha", "--otomatis"
    )
    number = request(app.test_client(), "wifi mati")
    drain(app)

    sent = [(m["target"], m["message"]) for m in fonnte.received]
    to_marta = [text for target, text in sent if target == MARTA]
    assert len(to_marta) == 2
    assert number in to_marta[0] and "Terimakasih" in to_marta[0]  # the tracking number first
    assert "Siswanto dan Adrasha" in to_marta[1]  # then one notice naming the team
    for phone in (SISWANTO, ADRASHA):
        (text,) = [text for target, text in sent if target == phone]
        assert number in text and "wifi mati" in text
        assert "Penugasan otomatis kategori Jaringan" in text
        assert "Tim: Siswanto (ketua), Adrasha" in text
    assert pj(app, number) == [("ADM04", "sistem"), ("ADM05", "sistem")]
    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=number).one()
        assert (report.status, report.keterangan) == ("Proses", "")
        entry = db.session.query(Audit).filter_by(aksi="tugaskan otomatis").one()
        assert (entry.id_admin, entry.id_objek) == ("sistem", number)
        assert '"pj": ["ADM04", "ADM05"]' in entry.sesudah
    # the rest of the day (#job, #report, the dashboard): tests/test_office_day.py


def test_satu_picks_the_member_with_the_fewest_open_jobs(fonnte_app, fonnte):
    app = fonnte_app
    client = app.test_client()
    busy = request(client, "proyektor rusak")  # Umum, given to Siswanto by hand
    assign(app, busy, "ADM04")
    kategori(
        app, "Listrik", "--kata", "lampu,listrik", "--petugas", "siswanto,adrasha", "--otomatis", "--satu"
    )

    first = request(client, "lampu aula mati")
    assert pj(app, first) == [("ADM05", "sistem")]  # Siswanto has one open job, Adrasha none
    second = request(client, "listrik padam")
    assert pj(app, second) == [("ADM04", "sistem")]  # one each: the first listed
    third = request(client, "lampu lab kedip")
    assert pj(app, third) == [("ADM05", "sistem")]

    # closed work is no longer open work
    with app.app_context():
        for id_track in (busy, second):
            lifecycle.close(service.find_report(id_track), "ditangani vendor")
        db.session.commit()
    fourth = request(client, "stop kontak listrik panas")
    assert pj(app, fourth) == [("ADM04", "sistem")]

    drain(app)
    to_adrasha = [m["message"] for m in fonnte.received if m["target"] == ADRASHA]
    assert [first in text for text in to_adrasha] == [True, False]
    assert "Tim:" not in to_adrasha[0]  # a team of one


def test_an_inactive_member_is_skipped_and_the_next_one_leads(app, client, administrator):
    kategori(app, "Jaringan", "--kata", "wifi", "--petugas", "siswanto,adrasha", "--otomatis")
    administrator.post("/admin/ADM04/status")  # Siswanto deactivated
    number = request(client, "wifi mati")
    assert pj(app, number) == [("ADM05", "sistem")]


def test_a_team_without_active_members_leaves_the_report_unassigned_and_says_why(app, client, administrator):
    kategori(app, "Gedung", "--kata", "pintu", "--petugas", "nikolai", "--otomatis")
    administrator.post("/admin/ADM03/status")  # Nikolai, its only member, deactivated
    number = request(client, "pintu macet")
    assert pj(app, number) == []
    page = administrator.get(f"/laporan/{number}").get_data(as_text=True)
    assert (
        "Tidak ditugaskan otomatis ke tim kategori Gedung: tim tidak memiliki anggota aktif (TBO/Staf)"
        in page
    )
    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=number).one()
        assert report.status == "Baru"
        entry = db.session.query(Audit).filter_by(aksi="tugaskan otomatis").one()
        assert '"pj": []' in entry.sesudah and "tidak memiliki anggota aktif" in entry.sesudah
    # the reporter got the reply only, and the report still waits for an admin
    with app.app_context():
        from app.models import Outbox

        assert db.session.query(Outbox).filter_by(tujuan=MARTA).count() == 1


def checked(page):
    """The id_admin ticked in the assignment form, and those marked 'disarankan'."""
    import re

    ticks = re.findall(r'<input checked class="form-check-input" id="pj-petugas-\d+" name="petugas" '
                       r'type="checkbox" value="(\w+)">', page)  # fmt: skip
    marked = re.findall(
        r'value="(\w+)"> <label[^>]*>[^<]*</label> <span class="badge text-bg-info">disarankan', page
    )
    return ticks, marked


def test_without_otomatis_the_team_is_suggested_in_the_form(app, staf):
    kategori(app, "Jaringan", "--kata", "wifi", "--petugas", "adrasha,siswanto")
    number = request(staf, "wifi mati")
    assert pj(app, number) == []
    page = staf.get(f"/laporan/{number}").get_data(as_text=True)
    assert checked(page) == (["ADM05", "ADM04"], ["ADM05", "ADM04"])  # the list is by name
    assert '<option selected value="ADM05">' in page  # the first of the team leads
    assert "Tim kategori Jaringan sudah dicentang sebagai saran" in page

    # what the admin sends is what is assigned, suggested or not
    staf.post(f"/laporan/{number}/tugaskan", data={"petugas": ["ADM05", "ADM04"], "ketua": "ADM05"})
    assert pj(app, number) == [("ADM05", "ADM03"), ("ADM04", "ADM03")]
    page = staf.get(f"/laporan/{number}").get_data(as_text=True)
    assert checked(page) == ([], []) and "sebagai saran" not in page


def test_satu_without_otomatis_suggests_the_least_busy_member(app, staf):
    busy = request(staf, "proyektor rusak")
    assign(app, busy, "ADM05")
    kategori(app, "Jaringan", "--kata", "wifi", "--petugas", "adrasha,siswanto", "--satu")
    number = request(staf, "wifi mati")
    page = staf.get(f"/laporan/{number}").get_data(as_text=True)
    assert checked(page) == (["ADM04"], ["ADM04"])


def test_an_umum_report_has_no_suggestion(app, staf):
    number = request(staf, "pintu macet")
    page = staf.get(f"/laporan/{number}").get_data(as_text=True)
    assert checked(page) == ([], []) and "sebagai saran" not in page
