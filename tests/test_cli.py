"""init-db, seed-demo and create-admin: idempotent, and init-db adopts an old installation."""

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import Admin, Monitoring, Pegawai, PesanMasuk
from tests.conftest import make_app, send_wa


def test_init_db_can_run_again(runner):
    assert "mutakhir" in runner.invoke(args=["init-db"]).output
    assert "mutakhir" in runner.invoke(args=["init-db"]).output


def test_init_db_dry_run_on_a_current_database_has_nothing_to_do(runner):
    output = runner.invoke(args=["init-db", "--dry-run"]).output
    assert output.startswith("Skema basis data mutakhir.")
    assert "  tb_pegawai: 0 nomor akan diubah" in output
    assert "  tb_admin: 0 nomor akan diubah" in output
    assert "tidak ada yang ditulis" in output


def test_seed_demo_adds_the_people_of_the_source_document_once(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert "0 baris ditambahkan" in result.output  # the fixture seeded them already
    assert "username 'admin'" in result.output
    with app.app_context():
        pegawai = {p.id_pegawai: (p.nama_pegawai, p.telepon, p.profil) for p in db.session.query(Pegawai)}
        assert pegawai["PGW2402001"] == ("R Marta Dinata", "6282111476069", "TIF IT")
        assert pegawai["PGW2402003"] == ("Febriansyah", "62281294403603", "Sarpras Humas")
        admins = {a.id_admin: (a.level, a.status) for a in db.session.query(Admin)}
        assert admins["ADM01"] == ("Administrator", "Aktif")
        assert admins["ADM02"] == ("Staf", "Tidak Aktif")
        assert admins["ADM04"] == ("TBO", "Aktif")
        assert not db.session.get(Admin, "ADM01").password.startswith("sarpras")


def test_create_admin_makes_an_account_with_a_hashed_password(app, runner):
    result = runner.invoke(
        args=["create-admin", "--username", "ketua", "--nama", "Ketua Biro", "--telepon", "0812-3456-7890"],
        input="rahasia-panjang\nrahasia-panjang\n",
    )
    assert result.exit_code == 0, result.output
    assert "ADM06" in result.output
    with app.app_context():
        admin = db.session.query(Admin).filter_by(username="ketua").one()
        assert (admin.level, admin.telepon, admin.status) == ("Administrator", "6281234567890", "Aktif")
        assert admin.check_password("rahasia-panjang")
        assert "rahasia" not in admin.password


def test_create_admin_reads_the_password_from_stdin_without_asking(app, runner):
    result = runner.invoke(
        args=["create-admin", "--username", "kepala", "--nama", "Kepala Biro", "--password-stdin"],
        input="dari-pipa-panjang\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output and "dari-pipa" not in result.output
    with app.app_context():
        admin = db.session.query(Admin).filter_by(username="kepala").one()
        assert admin.check_password("dari-pipa-panjang")


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "--username", "x", "--nama", "X", "--password", "pendek"])
    assert result.exit_code != 0
    assert "minimal 8" in result.output


LEGACY_TABLES = [
    """CREATE TABLE tb_pegawai (id_pegawai varchar(15) NOT NULL PRIMARY KEY, nama_pegawai varchar(35) NOT NULL,
       email varchar(35) NOT NULL, telepon varchar(16) NOT NULL, jurusan varchar(100) NOT NULL,
       bagian varchar(35) NOT NULL, status varchar(15) NOT NULL, keterangan text NOT NULL)""",
    """CREATE TABLE tb_admin (id_admin varchar(15) NOT NULL PRIMARY KEY, nama_admin varchar(35) NOT NULL,
       level varchar(15) NOT NULL DEFAULT 'Staf', deskripsi text NOT NULL, email varchar(35) NOT NULL,
       telepon varchar(15) NOT NULL, username varchar(15) NOT NULL, password varchar(15) NOT NULL,
       status varchar(15) NOT NULL, keterangan text NOT NULL)""",
    """CREATE TABLE tb_monitoring (idm {int} NOT NULL PRIMARY KEY {auto}, tanggal date NOT NULL, jam time NOT NULL,
       kategori varchar(15) NOT NULL DEFAULT 'Organik', pesan text NOT NULL, respon text NOT NULL,
       telepon varchar(19) NOT NULL, id_pegawai varchar(15) NOT NULL, id_track varchar(15) NOT NULL,
       gambar varchar(100) NOT NULL, status varchar(15) NOT NULL, tag int NOT NULL DEFAULT 0,
       keterangan text NOT NULL, nama_pelapor varchar(35) NOT NULL, profil_pelapor varchar(100) NOT NULL,
       durasi varchar(20) NOT NULL)""",
    """CREATE TABLE tb_in (idn {int} NOT NULL PRIMARY KEY {auto}, tanggal date NOT NULL, jam time NOT NULL,
       pesan text NOT NULL, respon text NOT NULL, id_track varchar(15) NOT NULL, telepon varchar(19) NOT NULL,
       keterangan text NOT NULL)""",
]


@pytest.fixture
def legacy_url(database_url, tmp_path):
    """A database as the PHP installation left it: its tables and data, no alembic_version."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'legacy.db'}"
        auto = "AUTOINCREMENT"
    else:
        # A sibling of the test database on its server: runs against other test databases
        # of the same server do not meet.
        base = make_url(database_url)
        name = f"{base.database}_legacy"
        url = base.set(database=name).render_as_string(hide_password=False)
        server = create_engine(base.set(database=""))
        with server.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
            conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        server.dispose()
        auto = "AUTO_INCREMENT"
    engine = create_engine(url)
    with engine.begin() as conn:
        for ddl in LEGACY_TABLES:
            conn.execute(
                text(ddl.replace("{auto}", auto).replace("{int}", "INTEGER" if "sqlite" in url else "int"))
            )
        conn.execute(
            text(
                "INSERT INTO tb_pegawai VALUES ('PGW2402001','R Marta Dinata','','6282111476069','TIF','IT','Aktif','')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tb_admin VALUES ('ADM03','Nikolai Gordyer','Staf','','','6282111470069','nikolai',"
                "'lama123','Aktif','')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tb_monitoring (tanggal, jam, kategori, pesan, respon, telepon, id_pegawai, id_track, gambar,"
                " status, tag, keterangan, nama_pelapor, profil_pelapor, durasi) VALUES ('2024-09-16','19:28:52',"
                "'Request','(Request) #request pagar','Terimakasih','6282111476069','PGW2402001','BRT2409001','',"
                "'Selesai',1,'','R Marta Dinata','TIF IT','')"
            )
        )
    engine.dispose()
    yield url
    if not database_url.startswith("sqlite"):
        server = create_engine(make_url(database_url).set(database=""))
        with server.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{make_url(database_url).database}_legacy`")
        server.dispose()


def test_init_db_adopts_an_old_installation_and_keeps_its_data(legacy_url, tmp_path):
    app = make_app(legacy_url, tmp_path, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    try:
        result = app.test_cli_runner().invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        # an account of the PHP system has no session token yet, and logs in all the same
        with app.app_context():
            assert db.session.get(Admin, "ADM03").token_sesi is None
        browser = app.test_client()
        response = browser.post("/login", data={"username": "nikolai", "password": "lama123"})
        assert response.status_code == 302
        assert browser.get("/beranda").status_code == 200
        with app.app_context():
            tables = set(inspect(db.engine).get_table_names())
            assert {"tb_outbox", "tb_track", "tb_penugasan", "tb_kerja", "tb_nomor"} <= tables
            assert "id_pesan" in {c["name"] for c in inspect(db.engine).get_columns("tb_in")}
            assert db.session.query(Monitoring).one().id_track == "BRT2409001"
            # the old plain-text password still logs in once, and is hashed by it
            from app.accounts import authenticate

            admin, error = authenticate("nikolai", "lama123")
            assert error is None
            assert db.session.get(Admin, "ADM03").password.startswith("pbkdf2:")
        client = app.test_client()
        from app import clock

        with app.app_context():
            month = f"{clock.local_now():%y%m}"
        response = send_wa(client, "#request lanjut di database lama")
        assert response.json["id_track"] == f"BRT{month}001"
        assert send_wa(client, "#cek BRT2409001").status_code == 200
        with app.app_context():
            assert db.session.query(PesanMasuk).count() == 2
        assert "mutakhir" in app.test_cli_runner().invoke(args=["init-db"]).output
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
