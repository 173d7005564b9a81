"""A database of the PHP system, built as the source document defines it, adopted by
`init-db` and then used: the old pegawai and petugas are recognised over WhatsApp, old
tracking numbers answer, old plain-text passwords log in.

The tables are raw DDL with the source's column types and defaults, NOT NULL without
defaults (so every insert of the app must give every column), passwords in plain text,
numbers as the PHP panel stored them (08…), and a few hundred reports with their history.
"""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import Admin, Audit, Monitoring, Pegawai
from tests.conftest import make_app, replies, send_wa

# The source document's tables (chapter 3.2). Where its screenshot of tb_monitoring shows
# no type, a column with a collation is text of the size its sibling tables use, and one
# without is a number, a date or a time.
PHP_TABLES = [
    """CREATE TABLE tb_pegawai (
        id_pegawai varchar(15) NOT NULL PRIMARY KEY, nama_pegawai varchar(35) NOT NULL,
        email varchar(35) NOT NULL, telepon varchar(16) NOT NULL, jurusan varchar(100) NOT NULL,
        bagian varchar(35) NOT NULL, status varchar(15) NOT NULL, keterangan text NOT NULL){options}""",
    """CREATE TABLE tb_admin (
        id_admin varchar(15) NOT NULL PRIMARY KEY, nama_admin varchar(35) NOT NULL,
        level varchar(15) NOT NULL DEFAULT 'Staf', deskripsi text NOT NULL, email varchar(35) NOT NULL,
        telepon varchar(15) NOT NULL, username varchar(15) NOT NULL, password varchar(15) NOT NULL,
        status varchar(15) NOT NULL, keterangan text NOT NULL){options}""",
    """CREATE TABLE tb_monitoring (
        idm {serial}, tanggal date NOT NULL, jam time NOT NULL,
        kategori varchar(15) NOT NULL DEFAULT 'Organik', pesan text NOT NULL, respon text NOT NULL,
        telepon varchar(19) NOT NULL, id_pegawai varchar(15) NOT NULL, id_track varchar(15) NOT NULL,
        gambar varchar(100) NOT NULL, status varchar(15) NOT NULL, tag int(11) NOT NULL DEFAULT 0,
        keterangan text NOT NULL, nama_pelapor varchar(35) NOT NULL,
        profil_pelapor varchar(100) NOT NULL, durasi int(11) NOT NULL){options}""",
    """CREATE TABLE tb_kerja (
        idn {serial}, tanggal date NOT NULL, jam time NOT NULL, pesan text NOT NULL,
        respon text NOT NULL, id_track varchar(15) NOT NULL, telepon varchar(19) NOT NULL,
        keterangan text NOT NULL, gambar varchar(100) NOT NULL DEFAULT 'avatar.jpg',
        id_admin varchar(15) NOT NULL DEFAULT 'ADM01'){options}""",
    """CREATE TABLE tb_in (
        idn {serial}, tanggal date NOT NULL, jam time NOT NULL, pesan text NOT NULL,
        respon text NOT NULL, id_track varchar(15) NOT NULL, telepon varchar(19) NOT NULL,
        keterangan text NOT NULL){options}""",
    """CREATE TABLE tb_track (
        id {serial}, idm int(11) NOT NULL, id_track varchar(15) NOT NULL, tanggal date NOT NULL,
        jam time NOT NULL, catatan text NOT NULL){options}""",
    """CREATE TABLE tb_penugasan (
        idp {serial}, id_admin varchar(15) NOT NULL, tanggal date NOT NULL, jam time NOT NULL,
        idm int(11) NOT NULL, id_track varchar(15) NOT NULL, catatan text NOT NULL,
        status varchar(15) NOT NULL DEFAULT 'Penugasan'){options}""",
]

# (id, nama, telepon as the PHP panel stored it, jurusan, bagian)
PHP_PEGAWAI = [
    ("PGW2402001", "R Marta Dinata", "082111476069", "TIF", "IT"),
    ("PGW2402002", "She Min Ah", "0858-2533-5908", "Rektorat", "SDM"),
    ("PGW2402003", "Febriansyah", "+62812-9440-3603", "Sarpras", "Humas"),
    ("PGW2402004", "Ani", "081234567890", "TIF", "Lab"),
    ("PGW2402005", "Ani Susanti", "0812-3456-7890", "TIF", "Lab"),  # the same number
    ("PGW2402006", "Budi", "belum ada", "Teknik", "TU"),
    ("PGW2402007", "Citra", "6285700000007", "Hukum", "TU"),  # already canonical
]
# (id, nama, level, telepon, username, password in plain text, status)
PHP_ADMIN = [
    ("ADM01", "Dery Dehaelt", "Administrator", "082111470068", "admin", "admin321", "Aktif"),
    ("ADM02", "John Bardeen", "Staf", "081213930117", "john", "john123", "Tidak Aktif"),
    ("ADM03", "Nikolai Gordyer", "Staf", "", "nikolai", "lama123", "Aktif"),
    ("ADM04", "Siswanto", "TBO", "082124603757", "siswanto", "tbo04", "Aktif"),
    ("ADM05", "Adrasha", "TBO", "08998848947", "adrasha", "tbo05", "Aktif"),
    ("ADM06", "Tono", "TBO", "", "tono", "tbo06", "Aktif"),  # a TBO without a number
]
MARTA, SISWANTO, ADRASHA, ANI = "6282111476069", "6282124603757", "628998848947", "6281234567890"
REPORTERS = [("6282111476069", "PGW2402001", "R Marta Dinata", "TIF IT"),
             ("6285825335908", "PGW2402002", "She Min Ah", "Rektorat SDM"),
             ("6285770347339", "", "srm", "Tamu")]  # fmt: skip
OLD_REPORTS = 300
OLD_ID = "BRT2403001"  # the first report, done long ago, with a history


def _old_reports():
    """300 reports from March 2024 on, 50 a month, each with its history: the oldest are
    Selesai with a PJ, the last five of every month Proses with an open assignment to
    Siswanto (#job lists them) and a progress line from him in tb_kerja."""
    monitoring, track, penugasan, kerja, masuk = [], [], [], [], []
    for index in range(OLD_REPORTS):
        month, number = divmod(index, 50)
        day = date(2024, 3 + month, 1) + timedelta(days=number % 28)
        id_track = f"BRT24{3 + month:02d}{number + 1:03d}"
        telepon, id_pegawai, nama, profil = REPORTERS[index % len(REPORTERS)]
        status = "Proses" if number >= 45 else "Selesai"
        idm = index + 1
        monitoring.append(
            dict(idm=idm, tanggal=day, jam=time(8, number % 60, 9), kategori="Request",
                 pesan=f"(Request) #request kerusakan nomor {idm} (Oleh: {nama})",
                 respon=f"Terimakasih atas infonya... Dengan Nomor Tracking Anda: +{id_track}+",
                 telepon=telepon, id_pegawai=id_pegawai, id_track=id_track, gambar="",
                 status=status, tag=1, keterangan="", nama_pelapor=nama, profil_pelapor=profil,
                 durasi=7200 if status == "Selesai" else 0)
        )  # fmt: skip
        track.append(dict(idm=idm, id_track=id_track, tanggal=day, jam=time(9, 0),
                          catatan=f"sedang di cek oleh tukang {idm}"))  # fmt: skip
        penugasan.append(dict(id_admin="ADM04", tanggal=day, jam=time(9, 0), idm=idm, id_track=id_track,
                              catatan="segera", status="Proses" if status == "Proses" else "Selesai"))  # fmt: skip
        kerja.append(dict(tanggal=day, jam=time(10, 0), pesan=f"#report {id_track} dikerjakan",
                          respon="Terimakasih", id_track=id_track, telepon=SISWANTO, keterangan="",
                          gambar="avatar.jpg", id_admin="ADM04"))  # fmt: skip
        if status == "Selesai":
            track.append(dict(idm=idm, id_track=id_track, tanggal=day, jam=time(15, 0),
                              catatan="pekerjaan selesai"))  # fmt: skip
        masuk.append(dict(tanggal=day, jam=time(11, 0), pesan=f"#cek {id_track}", respon="Hingga ...",
                          id_track=id_track, telepon=telepon, keterangan=""))  # fmt: skip
    return {"tb_monitoring": monitoring, "tb_track": track, "tb_penugasan": penugasan,
            "tb_kerja": kerja, "tb_in": masuk}  # fmt: skip


def _insert(conn, table, rows):
    # as text, the way the PHP system wrote dates and times (and SQLite binds no time)
    rows = [{k: v.isoformat() if isinstance(v, (date, time)) else v for k, v in row.items()} for row in rows]
    columns = list(rows[0])
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"), rows)


def build_php_database(url):
    engine = create_engine(url)
    mysql = engine.dialect.name != "sqlite"
    serial = (
        "int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY"
        if mysql
        else "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"
    )
    options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci" if mysql else ""
    with engine.begin() as conn:
        for ddl in PHP_TABLES:
            ddl = ddl.replace("{serial}", serial).replace("{options}", options)
            # SQLite reads int(11) as a type with an argument, and warns about it
            conn.execute(text(ddl if mysql else ddl.replace("int(11)", "INTEGER")))
        _insert(conn, "tb_pegawai", [
            dict(id_pegawai=i, nama_pegawai=n, email="", telepon=t, jurusan=j, bagian=b, status="Aktif", keterangan="")
            for i, n, t, j, b in PHP_PEGAWAI
        ])  # fmt: skip
        _insert(conn, "tb_admin", [
            dict(id_admin=i, nama_admin=n, level=lv, deskripsi="", email="", telepon=t, username=u,
                 password=pw, status=st, keterangan="")
            for i, n, lv, t, u, pw, st in PHP_ADMIN
        ])  # fmt: skip
        for table, rows in _old_reports().items():
            _insert(conn, table, rows)
    engine.dispose()


def contents(url):
    """Every table with its rows, in order: what must not change in a dry run."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
                for table in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


@pytest.fixture
def php_url(database_url, tmp_path):
    """A fresh database holding the PHP system's tables and data. On MariaDB a sibling of
    the test database (`<name>_php`) on the same server, made and dropped here."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'php.db'}"
        build_php_database(url)
        yield url
        return
    base = make_url(database_url)
    name = f"{base.database}_php"
    server = create_engine(base.set(database=""))
    with server.begin() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        build_php_database(url)
        yield url
    finally:
        with server.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        server.dispose()


@pytest.fixture
def php_app(php_url, tmp_path):
    app = make_app(php_url, tmp_path, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def init_db(app, *args):
    result = app.test_cli_runner().invoke(args=["init-db", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_dry_run_reports_and_writes_nothing(php_app, php_url):
    before = contents(php_url)
    output = init_db(php_app, "--dry-run")
    assert contents(php_url) == before
    assert "alembic_version" not in before
    assert "belum dikelola aplikasi ini" in output
    assert "  tb_pegawai: 3 nomor akan diubah" in output
    assert "  tb_admin: 4 nomor akan diubah" in output
    assert '  tb_pegawai PGW2402006 Budi: "belum ada"' in output
    assert "  tb_admin ADM06 Tono, TBO: kosong" in output
    assert "ADM03" not in output  # a Staf needs no number
    assert (
        '  tb_pegawai 6281234567890: PGW2402004 Ani ("081234567890"), PGW2402005 Ani Susanti ("0812-3456-7890")'
        in output
    )
    assert output.rstrip().endswith("Uji coba (--dry-run): tidak ada yang ditulis.")


def test_adoption_keeps_people_recognisable_over_whatsapp_and_in_the_panel(php_app, php_url):
    output = init_db(php_app)
    assert "  tb_pegawai: 3 nomor diubah" in output
    assert "  tb_admin: 4 nomor diubah" in output
    assert '  tb_pegawai PGW2402006 Budi: "belum ada"' in output
    assert "  tb_admin ADM06 Tono, TBO: kosong" in output
    assert "tidak digabung" in output
    with php_app.app_context():
        phones = dict(db.session.query(Pegawai.id_pegawai, Pegawai.telepon))
        assert phones == {
            "PGW2402001": "6282111476069",
            "PGW2402002": "6285825335908",
            "PGW2402003": "6281294403603",
            "PGW2402004": "081234567890",  # listed for the admin, not changed
            "PGW2402005": "0812-3456-7890",
            "PGW2402006": "belum ada",
            "PGW2402007": "6285700000007",
        }
        assert dict(db.session.query(Admin.id_admin, Admin.telepon)) == {
            "ADM01": "6282111470068",
            "ADM02": "6281213930117",
            "ADM03": "",
            "ADM04": "6282124603757",
            "ADM05": "628998848947",
            "ADM06": "",
        }
        # the PHP system's varchar(15) holds the 11 characters of a month's 1000th report
        inspector = inspect(db.engine)
        for table in ("tb_monitoring", "tb_in", "tb_kerja", "tb_track", "tb_penugasan", "tb_outbox"):
            (id_track,) = (c for c in inspector.get_columns(table) if c["name"] == "id_track")
            assert id_track["type"].length >= 15, table
        # every old report is filed under Umum
        assert {row.id_bidang for row in db.session.query(Monitoring)} == {0}
        entries = db.session.query(Audit).filter_by(aksi="normalisasi nomor").all()
        assert len(entries) == 7
        assert {e.id_admin for e in entries} == {"sistem"}

    again = init_db(php_app)
    assert "  tb_pegawai: 0 nomor diubah" in again
    assert "  tb_admin: 0 nomor diubah" in again
    assert "PGW2402004 Ani" in again  # still waiting for the admin's decision

    client = php_app.test_client()
    # a pegawai is answered by name, not as a guest
    new_id = send_wa(client, "#request lampu aula mati", sender=MARTA).json["id_track"]
    reply = replies(php_app, MARTA)[-1]
    assert reply.startswith("Yth R Marta Dinata /6282111476069 (TIF IT), Terimakasih")
    assert "Tamu" not in reply

    # a TBO's #job is answered with his open work, old and new
    send_wa(client, "#job", sender=SISWANTO)
    jobs = replies(php_app, SISWANTO)[-1]
    assert jobs.startswith("Yth Siswanto, tugas Anda (30):")
    assert "*BRT2403046*" in jobs
    send_wa(client, "#job", sender=ADRASHA)
    assert replies(php_app, ADRASHA)[-1] == "Yth Adrasha, saat ini tidak ada tugas terbuka untuk Anda."

    # the old history answers #track
    send_wa(client, f"#track {OLD_ID}", sender=MARTA)
    history = replies(php_app, MARTA)[-1]
    assert "1. " in history and "sedang di cek oleh tukang 1" in history
    assert "2. " in history and "pekerjaan selesai" in history

    # the Administrator logs in with the PHP system's plain-text password, and assigns
    panel = php_app.test_client()
    assert panel.post("/login", data={"username": "admin", "password": "admin321"}).status_code == 302
    with php_app.app_context():
        assert db.session.get(Admin, "ADM01").password.startswith("pbkdf2:")
    page = panel.post(
        f"/laporan/{new_id}/tugaskan",
        data={"petugas": "ADM04", "catatan": "cek lampu"},
        follow_redirects=True,
    )
    assert "Petugas ditugaskan" in page.get_data(as_text=True)

    # and the rest of the loop writes into the PHP tables (NOT NULL, no defaults)
    send_wa(client, "#job", sender=SISWANTO)
    assert replies(php_app, SISWANTO)[-1].startswith("Yth Siswanto, tugas Anda (31):")
    send_wa(client, f"#start {new_id}", sender=SISWANTO)
    send_wa(client, f"#report {new_id} kabel diganti", sender=SISWANTO)
    send_wa(client, f"#finish {new_id} lampu menyala", sender=SISWANTO)
    assert replies(php_app, SISWANTO)[-1].startswith(f"Laporan *{new_id}* tercatat selesai.")
    send_wa(client, f"#selesai {new_id} 5 terang", sender=MARTA)
    send_wa(client, f"#track {new_id}", sender=MARTA)
    assert "nilai 5/5" in replies(php_app, MARTA)[-1]

    # people the adoption left alone are not recognised, and the panel shows why
    send_wa(client, "#request kursi patah", sender=ANI)
    assert "(Tamu)" in replies(php_app, ANI)[-1]
    listing = panel.get("/pegawai").get_data(as_text=True)
    assert listing.count("data-phone-problem") == 3  # Ani, Ani Susanti, Budi
    assert "Nomor tidak terbaca" in listing
    assert "3 nomor ditandai merah" in listing
    admins = panel.get("/admin").get_data(as_text=True)
    assert admins.count("data-phone-problem") == 1  # Tono, a TBO without a number
    assert "Nomor kosong" in admins
    # a number typed as the admin knows it finds the stored canonical one
    assert "R Marta Dinata" in panel.get("/pegawai?q=0821-1147-6069").get_data(as_text=True)

    # the admin decides: Ani keeps the number, Ani Susanti gets her own
    for id_pegawai, nama, telepon in (
        ("PGW2402005", "Ani Susanti", "0813-1111-2222"),
        ("PGW2402004", "Ani", "0812 3456 7890"),
    ):
        response = panel.post(
            f"/pegawai/{id_pegawai}",
            data={"id_pegawai": id_pegawai, "nama_pegawai": nama, "telepon": telepon, "status": "Aktif"},
        )
        assert response.status_code == 302
    send_wa(client, "#request meja goyang", sender=ANI)
    assert replies(php_app, ANI)[-1].startswith("Yth Ani /6281234567890 (TIF Lab)")
    assert "ganda" not in init_db(php_app)
