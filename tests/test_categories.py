"""Categories (bidang): the `kategori` command, the panel's pages, and a new report filed
under the category its text matches."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy

from app.extensions import db
from app.models import Audit, Bidang, BidangPetugas, Monitoring
from tests.conftest import send_wa
from tests.waiting import wait_until
from tests.workbooks import book_of, table


def kategori(runner, *args):
    return runner.invoke(args=["kategori", *args])


def added(runner, *args):
    result = kategori(runner, "add", *args)
    assert result.exit_code == 0, result.output
    return result.output


def team(app, nama):
    with app.app_context():
        row = db.session.query(Bidang).filter_by(nama=nama).one()
        return [
            m.id_admin
            for m in db.session.query(BidangPetugas)
            .filter_by(id_bidang=row.id_bidang)
            .order_by(BidangPetugas.urutan)
        ]


def category_of(app, id_track):
    from app.reporting import categories

    with app.app_context():
        report = db.session.query(Monitoring).filter_by(id_track=id_track).one()
        return categories.name_of(report.id_bidang)


# --- the command ------------------------------------------------------------------------


def test_add_stores_keywords_team_and_mode(app, runner):
    output = added(
        runner,
        "Jaringan",
        "--kata",
        "wifi, internet,jaringan,,WIFI",
        "--petugas",
        "siswanto,ADM05",
        "--otomatis",
    )
    assert output.splitlines() == [
        "Kategori ditambahkan: Jaringan",
        "  kata kunci: wifi, internet, jaringan",
        "  tim: Siswanto (siswanto, ketua), Adrasha (adrasha)",
        "  penugasan: otomatis ke seluruh tim",
    ]
    assert team(app, "Jaringan") == ["ADM04", "ADM05"]
    with app.app_context():
        row = db.session.query(Bidang).one()
        assert (row.otomatis, row.satu) == (True, False)
        entry = db.session.query(Audit).filter_by(objek="kategori").one()
        assert (entry.aksi, entry.id_admin) == ("tambah", "cli")


def test_add_of_an_existing_name_changes_only_what_is_given(app, runner):
    added(runner, "Jaringan", "--kata", "wifi", "--petugas", "siswanto,adrasha", "--otomatis")
    output = added(runner, "JARINGAN", "--satu", "--petugas", "adrasha")
    assert output.startswith("Kategori diperbarui: Jaringan\n")
    assert "  kata kunci: wifi\n" in output
    assert "otomatis ke satu anggota dengan tugas terbuka paling sedikit" in output
    assert team(app, "Jaringan") == ["ADM05"]
    output = added(runner, "jaringan", "--manual", "--tim")
    assert "manual; seluruh tim disarankan di formulir penugasan" in output
    with app.app_context():
        assert db.session.query(Bidang).count() == 1
        entries = db.session.query(Audit).filter_by(objek="kategori").order_by(Audit.id).all()
        assert [e.aksi for e in entries] == ["tambah", "ubah", "ubah"]
        assert '"satu": true' in entries[1].sesudah


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Listrik", "--petugas", "siswanto,budi,ADM99"], "Petugas tidak dikenal: budi, ADM99."),
        (["Listrik", "--petugas", "admin"], "Dery Dehaelt (Administrator) bukan TBO atau Staf."),
        (["Listrik", "--petugas", "john"], "John Bardeen tidak aktif."),
        (["Listrik", "--kata", "lampu, !!, 🔥"], "Kata kunci tanpa huruf atau angka: !!, 🔥."),
        (["Umum", "--kata", "apa saja"], "Umum adalah kategori bawaan"),
        (["umum"], "Umum adalah kategori bawaan"),
        (["!!!"], "Nama kategori harus berisi huruf atau angka."),
        (["x" * 51], "Nama kategori paling banyak 50 karakter."),
    ],
)
def test_add_refuses_before_storing_anything(app, runner, args, message):
    result = kategori(runner, "add", *args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.query(Bidang).count() == 0
        assert db.session.query(BidangPetugas).count() == 0


def test_list_shows_every_category_and_umum(app, client, runner):
    added(runner, "Listrik", "--kata", "lampu", "--petugas", "siswanto")
    added(runner, "Air", "--kata", "kran,bocor")
    send_wa(client, "#request lampu aula mati")
    send_wa(client, "#request pintu macet")
    output = kategori(runner, "list").output
    assert output.splitlines() == [
        "Air; 0 laporan",
        "  kata kunci: kran, bocor",
        "  tim: (kosong)",
        "  penugasan: manual; seluruh tim disarankan di formulir penugasan",
        "Listrik; 1 laporan",
        "  kata kunci: lampu",
        "  tim: Siswanto (siswanto, ketua)",
        "  penugasan: manual; seluruh tim disarankan di formulir penugasan",
        "Umum (bawaan): laporan yang tidak cocok dengan kata kunci mana pun; 1 laporan",
    ]


def test_remove_moves_the_reports_to_umum(app, client, runner):
    added(runner, "Listrik", "--kata", "lampu", "--petugas", "siswanto")
    number = send_wa(client, "#request lampu aula mati").json["id_track"]
    assert category_of(app, number) == "Listrik"
    result = kategori(runner, "remove", "listrik")
    assert result.output == "Kategori Listrik dihapus; 1 laporan dipindah ke Umum.\n"
    assert category_of(app, number) == "Umum"
    with app.app_context():
        assert db.session.query(Bidang).count() == 0
        assert db.session.query(BidangPetugas).count() == 0
        assert db.session.query(Audit).filter_by(objek="kategori", aksi="hapus").count() == 1


@pytest.mark.parametrize(
    ("nama", "message"),
    [("Umum", "Umum adalah kategori bawaan dan tidak dapat dihapus."), ("Air", "Kategori Air tidak ada")],
)
def test_remove_refuses_umum_and_unknown_names(runner, nama, message):
    result = kategori(runner, "remove", nama)
    assert result.exit_code != 0 and message in result.output


# --- a new report -----------------------------------------------------------------------


def test_a_new_report_is_filed_under_its_most_specific_category(app, client, runner):
    added(runner, "Pendingin", "--kata", "ac, ac bocor")
    added(runner, "Air", "--kata", "bocor, kran")
    added(runner, "Jaringan", "--kata", "wifi, internet")
    cases = {
        "#request (AC) ruang 301 panas": "Pendingin",
        "#request AC bocor di ruang 301": "Pendingin",
        "#request kran bocor": "Air",
        "#request WIFI!! mati": "Jaringan",
        "#request acara butuh kursi": "Umum",
    }
    for text, expected in cases.items():
        number = send_wa(client, text).json["id_track"]
        assert category_of(app, number) == expected, text


def test_without_categories_every_report_is_umum(app, client):
    number = send_wa(client, "#request wifi mati").json["id_track"]
    with app.app_context():
        assert db.session.query(Monitoring).filter_by(id_track=number).one().id_bidang == 0


def test_a_changed_category_applies_to_the_next_report(app, client, runner):
    added(runner, "Jaringan", "--kata", "wifi")
    first = send_wa(client, "#request internet lambat").json["id_track"]
    added(runner, "Jaringan", "--kata", "wifi, internet")
    second = send_wa(client, "#request internet lambat").json["id_track"]
    assert (category_of(app, first), category_of(app, second)) == ("Umum", "Jaringan")


# --- the panel --------------------------------------------------------------------------

PAGES = ["/kategori", "/kategori/baru"]


@pytest.mark.parametrize("page", PAGES)
def test_only_an_administrator_manages_categories(client, staf, page):
    assert staf.get(page).status_code == 403
    assert staf.post("/kategori/baru", data={"nama": "X"}).status_code == 403


def test_the_administrator_adds_edits_and_removes_a_category(app, administrator, client):
    page = administrator.get("/kategori/baru").get_data(as_text=True)
    assert page.count('name="petugas"') == 4
    assert "Siswanto (ADM04, TBO)" in page and "Nikolai Gordyer (ADM03, Staf)" in page
    assert "Dery Dehaelt (ADM01" not in page  # an Administrator is no team member
    response = administrator.post(
        "/kategori/baru",
        data={
            "nama": " Jaringan  Kampus ",
            "kata": "wifi\ninternet",
            "petugas": ["", "ADM05", "ADM04", "ADM05"],
        },
    )
    assert response.status_code == 302
    assert team(app, "Jaringan Kampus") == ["ADM05", "ADM04"]
    listing = administrator.get("/kategori").get_data(as_text=True)
    assert "Jaringan Kampus" in listing and "wifi, internet" in listing
    assert "manual; seluruh tim disarankan" in listing

    number = send_wa(client, "#request wifi mati").json["id_track"]
    with app.app_context():
        id_bidang = db.session.query(Bidang).one().id_bidang
    form = administrator.get(f"/kategori/{id_bidang}").get_data(as_text=True)
    assert form.count('name="petugas"') == 4
    assert '<option value="ADM05" selected>' in form
    administrator.post(
        f"/kategori/{id_bidang}",
        data={"nama": "Jaringan", "kata": "wifi", "petugas": ["ADM04"], "otomatis": "y", "satu": "y"},
    )
    assert team(app, "Jaringan") == ["ADM04"]
    listing = administrator.get("/kategori").get_data(as_text=True)
    assert "otomatis ke satu anggota dengan tugas terbuka paling sedikit" in listing

    done = administrator.post(f"/kategori/{id_bidang}/hapus", follow_redirects=True).get_data(as_text=True)
    assert "Kategori Jaringan dihapus; 1 laporan dipindah ke Umum." in done
    assert category_of(app, number) == "Umum"


def test_a_refused_category_form_says_why_on_its_fields(app, administrator):
    page = administrator.post(
        "/kategori/baru", data={"nama": "Umum", "kata": "!!", "petugas": ["ADM01"]}
    ).get_data(as_text=True)
    assert "Umum adalah kategori bawaan" in page
    assert "Kata kunci tanpa huruf atau angka: !!." in page
    assert "Dery Dehaelt (Administrator) bukan TBO atau Staf." in page
    with app.app_context():
        assert db.session.query(Bidang).count() == 0


def test_a_forged_team_of_thousands_is_refused_and_not_drawn(app, administrator):
    forged = ["ADM04", *(f"X{n}" for n in range(20_000))]
    page = administrator.post("/kategori/baru", data={"nama": "Gedung", "petugas": forged})
    text = page.get_data(as_text=True)
    assert "Paling banyak 50 petugas sekaligus." in text
    assert text.count('name="petugas"') == 52  # the first 50 and two empty places
    with app.app_context():
        assert db.session.query(Bidang).count() == 0


def test_an_automatic_category_without_active_members_is_flagged(app, administrator, runner):
    added(runner, "Listrik", "--kata", "lampu", "--petugas", "nikolai", "--otomatis")
    administrator.post("/admin/ADM03/status")  # Nikolai deactivated
    listing = administrator.get("/kategori").get_data(as_text=True)
    assert "tidak aktif" in listing
    assert "Tim tanpa anggota aktif: laporan baru tidak ditugaskan otomatis." in listing
    # he may stay in the team while deactivated, and is shown as such
    form = administrator.get("/kategori/" + str(_id(app, "Listrik"))).get_data(as_text=True)
    assert "Nikolai Gordyer (ADM03, Staf, tidak aktif)" in form


def test_a_name_stored_meanwhile_by_another_session_is_refused_on_the_form(app, administrator):
    """Two admins adding "Gedung" and "GEDUNG" at once: the unique name (case and accents
    alike under MariaDB's collation) refuses the later one with the form's message."""
    other = sqlalchemy.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    mysql = other.dialect.name == "mysql"
    with other.connect() as connection:
        connection.execute(
            sqlalchemy.text("INSERT INTO tb_bidang (nama, kata, otomatis, satu) VALUES ('GEDUNG', '', 0, 0)")
        )
        with ThreadPoolExecutor(1) as pool:
            posted = pool.submit(
                administrator.post, "/kategori/baru", data={"nama": "Gedung", "kata": "pintu"}
            )
            if mysql:  # the form's INSERT waits for this session's row: then let it go
                waiting = "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"
                # InnoDB refreshes innodb_trx only after 0.1 s without a read of it.
                assert wait_until(lambda: connection.execute(sqlalchemy.text(waiting)).scalar(), interval=0.2)
            connection.commit()
            page = posted.result().get_data(as_text=True)
    other.dispose()
    assert "sudah ada." in page
    with app.app_context():
        assert [row.nama for row in db.session.query(Bidang)] == ["GEDUNG"]


def _id(app, nama):
    with app.app_context():
        return db.session.query(Bidang).filter_by(nama=nama).one().id_bidang


def test_the_list_shows_and_filters_by_category(app, staf, runner):
    added(runner, "Jaringan", "--kata", "wifi")
    send_wa(staf, "#request wifi mati")
    send_wa(staf, "#request pintu macet")
    page = staf.get("/laporan").get_data(as_text=True)
    assert "<td>Jaringan</td>" in page and "<td>Umum</td>" in page
    assert f'<option value="{_id(app, "Jaringan")}"' in page and '<option value="0"' in page
    only = staf.get(f"/laporan?bidang={_id(app, 'Jaringan')}").get_data(as_text=True)
    assert "1 laporan" in only and "wifi mati" in only and "pintu macet" not in only
    umum = staf.get("/laporan?bidang=0").get_data(as_text=True)
    assert "1 laporan" in umum and "pintu macet" in umum
    assert "bidang=0" in staf.get("/laporan?bidang=0&sort=terlama").get_data(as_text=True)
    bad = staf.get("/laporan?bidang=listrik").get_data(as_text=True)
    assert "Kategori tidak dikenal" in bad and "2 laporan" in bad


def test_staff_change_a_reports_category_and_it_is_audited(app, staf, runner):
    added(runner, "Jaringan", "--kata", "wifi")
    number = send_wa(staf, "#request pintu macet").json["id_track"]
    page = staf.get(f"/laporan/{number}").get_data(as_text=True)
    assert '<span id="kategori">Umum</span>' in page and "Request, Status Baru" in page
    done = staf.post(
        f"/laporan/{number}/kategori", data={"bidang": _id(app, "Jaringan")}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Kategori laporan diubah." in done and '<span id="kategori">Jaringan</span>' in done
    with app.app_context():
        entry = db.session.query(Audit).filter_by(aksi="ubah kategori").one()
        assert (entry.id_admin, entry.id_objek) == ("ADM03", number)
        assert "Umum" in entry.sebelum and "Jaringan" in entry.sesudah
    for bad in ("9999", "x"):
        refused = staf.post(f"/laporan/{number}/kategori", data={"bidang": bad}, follow_redirects=True)
        assert refused.status_code == 200
        assert "Kategori tidak" in refused.get_data(as_text=True)
    assert category_of(app, number) == "Jaringan"


def test_dashboard_excel_and_print_pages_show_the_category(app, staf, runner):
    added(runner, "Jaringan", "--kata", "wifi")
    number = send_wa(staf, "#request wifi mati").json["id_track"]
    send_wa(staf, "#request wifi lambat")
    send_wa(staf, "#request pintu macet")
    staf.post(f"/laporan/{number}/status", data={"aksi": "tutup", "alasan": "beres"})

    dashboard = staf.get("/beranda").get_data(as_text=True)
    assert '<td>Jaringan</td><td class="text-end">2</td><td class="text-end">1</td>' in dashboard
    assert '<td>Umum</td><td class="text-end">1</td><td class="text-end">1</td>' in dashboard
    assert '"kategori": {"labels": ["Jaringan", "Umum"]' in dashboard

    _, header, rows = table(book_of(staf.get("/laporan/export.xlsx?sort=terlama"))["Laporan"])
    column = header.index("Kategori")
    assert [row[column] for row in rows] == ["Jaringan", "Jaringan", "Umum"]
    assert rows[0][header.index("Jenis")] == "Request"
    filtered = book_of(staf.get("/laporan/export.xlsx?bidang=0"))
    assert ("Filter kategori", "Umum") in list(filtered["Ringkasan"].values)

    printed = staf.get(f"/cetak/laporan?bidang={_id(app, 'Jaringan')}").get_data(as_text=True)
    assert "kategori Jaringan" in printed and printed.count("<td>Jaringan</td>") == 2
    assert "<th>Kategori</th><td>Jaringan</td>" in staf.get(f"/cetak/laporan/{number}").get_data(as_text=True)
    recap = staf.get("/cetak/rekap").get_data(as_text=True)
    assert "<tr><td>Jaringan</td><td>2</td></tr>" in recap and "<tr><td>Umum</td><td>1</td></tr>" in recap
