"""Teams: several PJ on one report, assigned with one service from the panel and the CLI,
each told by WhatsApp, the reporter told once per step."""

import json

import pytest

from app import clock
from app.extensions import db
from app.models import Admin, Audit, Kerja, Monitoring, Outbox, Penugasan, Track
from app.reporting import lifecycle, reminders, service, staff, texts
from tests.conftest import MARTA, drain, login, replies, reset_database, send_wa

# The same morning, clock and cast as the one-PJ life of a report.
from tests.test_technicians import ADRASHA, ID, SISWANTO, at, morning, withdraw  # noqa: F401

NIKOLAI = "6282111470069"  # Staf ADM03


@pytest.mark.parametrize(
    "names, expected",
    [
        ([], ""),
        (["Siswanto"], "Siswanto"),
        (["Siswanto", "Adrasha"], "Siswanto dan Adrasha"),
        (["Siswanto", "Adrasha", "Nikolai"], "Siswanto, Adrasha dan Nikolai"),
    ],
)
def test_names_are_listed_in_indonesian(names, expected):
    assert texts.names_list(names) == expected


@pytest.mark.parametrize(
    "team, expected",
    [
        ([], ""),
        (["Siswanto"], ""),
        (["Siswanto", "Adrasha"], "Tim: Siswanto (ketua), Adrasha"),
        (["Adrasha", "Siswanto", "Nikolai"], "Tim: Adrasha (ketua), Siswanto, Nikolai"),
    ],
)
def test_the_team_line_marks_the_lead_first(team, expected):
    assert texts.team_line(team) == expected


@pytest.mark.parametrize(
    "added, skipped, team, expected",
    [
        (["Siswanto"], [], ["Siswanto"], "Laporan BRT2409001 ditugaskan kepada Siswanto."),
        (
            ["Siswanto", "Adrasha"],
            [],
            ["Siswanto", "Adrasha"],
            "Laporan BRT2409001 ditugaskan kepada Siswanto dan Adrasha. Tim: Siswanto (ketua), Adrasha.",
        ),
        (
            ["Adrasha"],
            ["Siswanto"],
            ["Siswanto", "Adrasha"],
            "Laporan BRT2409001 ditugaskan kepada Adrasha. Tim: Siswanto (ketua), Adrasha. "
            "Siswanto sudah menjadi PJ laporan ini (dilewati).",
        ),
    ],
)
def test_what_the_admin_is_told_after_assigning(added, skipped, team, expected):
    assert texts.assignment_done(ID, added, skipped, team) == expected


def new_report(client, text="proyektor ruang 301 mati"):
    return send_wa(client, f"#request {text}").json["id_track"]


def assign(app, *petugas, id_track=ID, catatan="bawa tangga"):
    with app.app_context():
        done = lifecycle.assign_team(
            service.find_report(id_track), [db.session.get(Admin, p) for p in petugas], catatan, "ADM03"
        )
        summary = done.summary()
        db.session.commit()
        return summary


def state(app, id_track=ID):
    """(report status, [(id_admin, assignment status)], [track lines])."""
    with app.app_context():
        report = service.find_report(id_track)
        return (
            report.status,
            [(p.id_admin, p.status) for p in staff.assignments_of(report)],
            [t.catatan for t in service.tracks_of(report)],
        )


def test_a_team_is_assigned_at_once_and_the_reporter_told_once(app, client):
    new_report(client)
    assert assign(app, "ADM04", "ADM05") == (
        "Laporan BRT2409001 ditugaskan kepada Siswanto dan Adrasha. Tim: Siswanto (ketua), Adrasha."
    )
    status, assignments, lines = state(app)
    assert status == "Proses"
    assert assignments == [("ADM04", "Penugasan"), ("ADM05", "Penugasan")]
    assert lines == ["Sudah ditentukan PJ/petugas Siswanto dan Adrasha untuk menindaklanjuti laporan Anda"]
    assert len(replies(app, MARTA)) == 2  # the report's receipt, then the one notice
    for number, nama in ((SISWANTO, "Siswanto"), (ADRASHA, "Adrasha")):
        (text,) = replies(app, number)
        assert text.startswith(
            f"*Penugasan BRT ISTN*\nYth {nama}, Anda ditugaskan sebagai PJ laporan *{ID}*."
        )
        assert "Catatan: bawa tangga\nTim: Siswanto (ketua), Adrasha\n" in text
        assert "#finish oleh salah satu anggota menyelesaikan laporan" in text
    with app.app_context():
        assert [a.nama_admin for a in staff.team_of(service.find_report(ID))] == ["Siswanto", "Adrasha"]


def test_an_earlier_pj_stays_and_keeps_the_lead(app, client):
    new_report(client)
    assign(app, "ADM04")
    at(8, 0)
    assign(app, "ADM05", "ADM03")
    _, assignments, lines = state(app)
    assert assignments == [("ADM04", "Penugasan"), ("ADM05", "Penugasan"), ("ADM03", "Penugasan")]
    assert (
        lines[-1]
        == "Sudah ditentukan PJ/petugas Adrasha dan Nikolai Gordyer untuk menindaklanjuti laporan Anda"
    )
    assert len(replies(app, SISWANTO)) == 1  # his assignment, nothing about being relieved
    assert "Tim: Siswanto (ketua), Adrasha, Nikolai Gordyer" in replies(app, NIKOLAI)[-1]


def test_members_already_on_the_team_are_skipped(app, client):
    new_report(client)
    assign(app, "ADM04")
    assert assign(app, "ADM04", "ADM05").endswith("Siswanto sudah menjadi PJ laporan ini (dilewati).")
    with pytest.raises(
        lifecycle.LifecycleError, match="^Adrasha dan Siswanto sudah menjadi PJ laporan ini.$"
    ):
        assign(app, "ADM05", "ADM04")
    _, assignments, lines = state(app)
    assert [a for a, _ in assignments] == ["ADM04", "ADM05"] and len(lines) == 2


@pytest.mark.parametrize(
    "petugas, message",
    [
        (("ADM04", "ADM02"), "John Bardeen \\(ADM02\\): Petugas harus TBO atau Staf yang aktif."),
        (("ADM04", "ADM01"), "Petugas harus TBO atau Staf yang aktif."),
        (("ADM04", "TIDAKADA"), "^Petugas harus TBO atau Staf yang aktif.$"),
        ((), "Pilih sedikitnya satu petugas."),
    ],
    ids=["inactive-staf", "administrator", "unknown", "nobody"],
)
def test_one_wrong_member_refuses_the_whole_action(app, client, petugas, message):
    new_report(client)
    before = len(replies(app))
    with pytest.raises(lifecycle.LifecycleError, match=message):
        assign(app, *petugas)
    assert state(app) == ("Baru", [], [])
    assert len(replies(app)) == before


def test_removing_one_member_leaves_the_others(app, client):
    new_report(client)
    assign(app, "ADM04", "ADM05", "ADM03")
    withdraw(app, ID, "ADM04")
    status, assignments, _ = state(app)
    assert status == "Proses"
    assert assignments == [("ADM04", "Dibatalkan"), ("ADM05", "Penugasan"), ("ADM03", "Penugasan")]
    with app.app_context():
        assert [a.nama_admin for a in staff.team_of(service.find_report(ID))] == [
            "Adrasha",
            "Nikolai Gordyer",
        ]
    withdraw(app, ID, "ADM05")
    withdraw(app, ID, "ADM03")
    assert state(app)[0] == "Baru"


def tbo(client, app, text, sender):
    send_wa(client, text, sender=sender)
    return replies(app, sender)[-1]


def test_each_step_reaches_the_reporter_once(app, client):
    new_report(client)
    assign(app, "ADM04", "ADM05")
    told = len(replies(app, MARTA))
    at(8, 0)
    assert tbo(client, app, f"#start {ID}", SISWANTO).endswith("Pelapor sudah diberi tahu.")
    assert tbo(client, app, f"#start {ID} menyusul", ADRASHA) == (
        f"Mulai pengerjaan Anda pada laporan *{ID}* tercatat. Pelapor sudah diberi tahu ketika tim mulai "
        "mengerjakan."
    )
    assert len(replies(app, MARTA)) == told + 1
    assert state(app)[1] == [("ADM04", "Proses"), ("ADM05", "Proses")]
    tbo(client, app, f"#report {ID} kabel diganti", ADRASHA)
    assert len(replies(app, MARTA)) == told + 2
    tbo(client, app, f"#finish {ID} beres", ADRASHA)
    status, assignments, lines = state(app)
    assert status == "Selesai" and assignments == [("ADM04", "Selesai"), ("ADM05", "Selesai")]
    assert lines[1:] == [
        "Petugas Siswanto mulai mengerjakan laporan Anda",
        "kabel diganti",
        "Pekerjaan telah diselesaikan oleh petugas Adrasha: beres",
    ]
    assert replies(app, SISWANTO)[-1] == (
        f"Yth Siswanto, laporan *{ID}* telah diselesaikan oleh rekan tim Anda Adrasha. "
        "Penugasan Anda untuk laporan ini ikut selesai. Terima kasih."
    )
    for command in (f"#finish {ID}", f"#report {ID} masih ada"):
        assert tbo(client, app, command, SISWANTO) == (
            f"Laporan *{ID}* sudah selesai dan menunggu konfirmasi pelapor."
        )
    assert len(replies(app, MARTA)) == told + 3
    send_wa(client, f"#selesai {ID} 5")
    for number in (SISWANTO, ADRASHA):
        assert replies(app, number)[-1].startswith(f"Yth {'Siswanto' if number == SISWANTO else 'Adrasha'}, ")
        assert "telah dikonfirmasi selesai oleh pelapor" in replies(app, number)[-1]
    with app.app_context():
        assert [k.keterangan for k in db.session.query(Kerja).order_by(Kerja.idn)] == [
            f"Start {ID}",
            f"Start {ID}",
            f"Report {ID}",
            f"Finish {ID}",
            "Ditolak: sudah selesai",
            "Ditolak: sudah selesai",
        ]


def test_durations_and_open_jobs_count_each_member(app, client):
    from app.panel import recap, stats

    new_report(client)
    second = new_report(client, "kran bocor")
    assign(app, "ADM04", "ADM05")
    assign(app, "ADM05", id_track=second)
    with app.app_context():
        assert stats.open_jobs_per_petugas() == [("Adrasha", 2), ("Siswanto", 1)]
    at(9, 31)
    send_wa(client, f"#finish {ID}", sender=SISWANTO)
    with app.app_context():
        assert stats.durasi_per_petugas() == [("Adrasha", 2.0, 1), ("Siswanto", 2.0, 1)]
        assert stats.open_jobs_per_petugas() == [("Adrasha", 1)]
        assert recap.monthly(2024, 9)["per_pj"] == [("Adrasha", 2, 1.0), ("Siswanto", 1, 2.0)]


def test_the_digest_leaves_out_a_team_that_has_started(app, client):
    new_report(client)
    second = new_report(client, "kran bocor")
    assign(app, "ADM04", "ADM05")
    assign(app, "ADM04", "ADM05", id_track=second)
    send_wa(client, f"#start {second}", sender=ADRASHA)
    at(8, 0, day=18)
    with app.app_context():
        _, not_started = reminders.stuck_reports(clock.local_now())
        assert [(r.id_track, p.id_admin) for r, p in not_started] == [(ID, "ADM04"), (ID, "ADM05")]


def test_the_cli_assigns_a_team(app, client, runner):
    new_report(client)
    result = runner.invoke(
        args=["assign", ID, "siswanto", "ADM05", "--catatan", "cek kabel", "--oleh", "ADM03"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Laporan BRT2409001 ditugaskan kepada Siswanto dan Adrasha. Tim: Siswanto (ketua), Adrasha.\n"
    )
    assert "Catatan: cek kabel" in replies(app, ADRASHA)[0]
    assert state(app)[1] == [("ADM04", "Penugasan"), ("ADM05", "Penugasan")]


@pytest.mark.parametrize(
    "names, message",
    [
        (["siswanto", "entah"], "Petugas entah tidak ditemukan"),
        (["siswanto", "ADM02"], "Petugas harus TBO atau Staf yang aktif"),
    ],
)
def test_the_cli_refuses_before_storing_anything(app, client, runner, names, message):
    new_report(client)
    result = runner.invoke(args=["assign", ID, *names])
    assert result.exit_code != 0 and message in result.output
    assert state(app) == ("Baru", [], [])
    assert replies(app, SISWANTO) == []


def test_the_cli_needs_someone(app, runner):
    assert runner.invoke(args=["assign", ID]).exit_code == 2


def test_the_panel_assigns_a_team_with_its_chosen_lead(app, client):
    new_report(client)
    staf = login(client, "nikolai")
    page = staf.post(
        f"/laporan/{ID}/tugaskan",
        data={"petugas": ["ADM04", "ADM05"], "ketua": "ADM05", "catatan": "berdua"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "ditugaskan kepada Adrasha dan Siswanto. Tim: Adrasha (ketua), Siswanto." in page
    assert state(app)[1] == [("ADM05", "Penugasan"), ("ADM04", "Penugasan")]
    assert 'Adrasha [ADM05] <span class="badge text-bg-primary" data-lead>Ketua</span>' in page
    assert "Siswanto [ADM04]</td>" in page
    # Only people not yet on the team are offered, and the lead is not chosen again.
    assert 'value="ADM04"' not in page.split('id="pj-petugas"')[1].split("</fieldset>")[0]
    assert 'id="pj-ketua"' not in page
    with app.app_context():
        entry = db.session.query(Audit).filter_by(aksi="tugaskan").one()
        assert json.loads(entry.sesudah) == {"pj": ["ADM05", "ADM04"], "catatan": "berdua"}


def test_the_panel_says_why_nobody_was_assigned(app, client):
    new_report(client)
    staf = login(client, "nikolai")
    page = staf.post(f"/laporan/{ID}/tugaskan", data={"catatan": "x"}, follow_redirects=True)
    assert "Pilih sedikitnya satu petugas." in page.get_data(as_text=True)
    assert state(app) == ("Baru", [], [])


def test_a_forged_list_of_thousands_is_refused_before_anyone_is_looked_up(app, client):
    new_report(client)
    staf = login(client, "nikolai")
    forged = ["ADM04", "ADM05", *(f"X{n}" for n in range(20_000))]
    page = staf.post(f"/laporan/{ID}/tugaskan", data={"petugas": forged}, follow_redirects=True)
    assert "Paling banyak 50 petugas sekaligus." in page.get_data(as_text=True)
    assert state(app) == ("Baru", [], [])


def test_the_team_is_shown_on_my_jobs_and_in_the_list(app, client):
    new_report(client)
    assign(app, "ADM05", "ADM04")
    tbo = login(app.test_client(), "siswanto")
    assert "Adrasha (ketua), Siswanto" in tbo.get("/tugas").get_data(as_text=True)
    staf = login(client, "nikolai")
    assert "<td>Adrasha, Siswanto</td>" in staf.get("/laporan").get_data(as_text=True)
    assert "Adrasha [ADM05] (ketua)" in staf.get(f"/cetak/laporan/{ID}").get_data(as_text=True)


def test_a_two_person_team_over_loopback_fonnte(app_factory, fonnte):
    app = app_factory(WA_PROVIDER="fonnte", FONNTE_TOKEN=fonnte.token, FONNTE_API_URL=fonnte.url)
    reset_database(app)
    client = app.test_client()

    def sent_to(number):
        return [m["message"] for m in fonnte.received if m["target"] == number]

    new_report(client)
    assert app.test_cli_runner().invoke(args=["assign", ID, "siswanto", "adrasha"]).exit_code == 0
    drain(app)
    for number in (SISWANTO, ADRASHA):
        assert "Tim: Siswanto (ketua), Adrasha" in sent_to(number)[0]
        send_wa(client, "#job", sender=number)
    drain(app)
    for number in (SISWANTO, ADRASHA):
        assert f"1. *{ID}* (hari ini) Proses" in sent_to(number)[-1]
        assert "Tim: Siswanto (ketua), Adrasha" in sent_to(number)[-1]

    for text, sender in (
        (f"#start {ID}", SISWANTO),
        (f"#start {ID}", ADRASHA),
        (f"#report {ID} kabel HDMI diganti", ADRASHA),
        (f"#finish {ID} selesai", SISWANTO),
        (f"#finish {ID}", ADRASHA),
    ):
        send_wa(client, text, sender=sender)
        drain(app)

    to_marta = sent_to(MARTA)
    assert len(to_marta) == 5  # receipt, assigned, started, progress, finished
    assert to_marta[1].endswith(
        "Sudah ditentukan PJ/petugas Siswanto dan Adrasha untuk menindaklanjuti laporan Anda"
    )
    assert to_marta[2].endswith("Petugas Siswanto mulai mengerjakan laporan Anda")
    assert to_marta[3].endswith("kabel HDMI diganti")
    assert "Pekerjaan telah diselesaikan oleh petugas Siswanto: selesai" in to_marta[4]
    assert sent_to(ADRASHA)[-3:] == [
        f"Progres laporan *{ID}* tercatat dan diteruskan kepada pelapor.",
        f"Yth Adrasha, laporan *{ID}* telah diselesaikan oleh rekan tim Anda Siswanto. "
        "Penugasan Anda untuk laporan ini ikut selesai. Terima kasih.",
        f"Laporan *{ID}* sudah selesai dan menunggu konfirmasi pelapor.",
    ]
    assert sent_to(ADRASHA)[-4].startswith(f"Mulai pengerjaan Anda pada laporan *{ID}* tercatat.")
    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=ID).one()
        assert report.status == "Selesai"
        assert {p.status for p in db.session.query(Penugasan)} == {"Selesai"}
        assert db.session.query(Track).count() == 4
        assert {o.status for o in db.session.query(Outbox)} == {"terkirim"}
