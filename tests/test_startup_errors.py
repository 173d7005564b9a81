"""A wrong DATABASE_URL, a refused user, a missing database, a closed port: one line that
says what to do, a non-zero exit, never the password, from every command that starts."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pymysql
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, ProgrammingError

from app.startup_errors import SetupError, check_database, explain
from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Rahasia-Salah-93xQ"
URL = f"mysql+pymysql://sarpras:{PASSWORD}@127.0.0.1:3306/sarpras"


def wrapped(code, message, kind=OperationalError):
    """The exception SQLAlchemy raises for a PyMySQL error."""
    return kind("SELECT 1", {}, pymysql.err.OperationalError(code, message))


CASES = [
    (
        "access denied",
        wrapped(1045, "Access denied for user 'sarpras'@'127.0.0.1' (using password: YES)"),
        URL,
        [
            "menolak pengguna 'sarpras'@'127.0.0.1'",
            "kata sandi di DATABASE_URL",
            "CREATE USER 'sarpras'@'127.0.0.1'",
        ],
    ),
    (
        "no rights on the database",
        wrapped(1044, "Access denied for user 'sarpras'@'localhost' to database 'sarpras'"),
        URL,
        ["tidak berhak atas basis data 'sarpras'", "GRANT ALL ON `sarpras`.* TO 'sarpras'@'localhost'"],
    ),
    (
        "too few rights to create tables",
        wrapped(1142, "CREATE command denied to user 'sarpras'@'localhost' for table 'tb_outbox'"),
        URL,
        ["kurang hak", "GRANT ALL ON `sarpras`.*"],
    ),
    (
        "unknown database",
        wrapped(1049, "Unknown database 'sarpras'"),
        URL,
        ["'sarpras' belum ada di server 127.0.0.1:3306", "CREATE DATABASE `sarpras` CHARACTER SET utf8mb4"],
    ),
    (
        "server down",
        wrapped(2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)"),
        URL,
        ["127.0.0.1:3306 tidak dapat dihubungi (Connection refused)", "MariaDB berjalan"],
    ),
    (
        "server silent",
        wrapped(2003, "Can't connect to MySQL server on '10.0.0.9' (timed out)"),
        "mysql+pymysql://sarpras:x@10.0.0.9/sarpras",
        ["10.0.0.9:3306 tidak dapat dihubungi (timed out)"],
    ),
    (
        "unknown host",
        wrapped(2003, "Can't connect to MySQL server on 'db.invalid' ([Errno -2] Name or service not known)"),
        "mysql+pymysql://sarpras:x@db.invalid:3307/sarpras",
        ["Nama host di DATABASE_URL (db.invalid:3307) tidak dikenal"],
    ),
    (
        "host not allowed",
        wrapped(1130, "Host '10.1.1.1' is not allowed to connect to this MariaDB server"),
        URL,
        ["tidak menerima sambungan dari mesin ini"],
    ),
    (
        "malformed URL",
        ArgumentError("Could not parse SQLAlchemy URL from given URL string"),
        "mysql+pymysql//sarpras:x@127.0.0.1/sarpras",
        ["DATABASE_URL tidak dapat dibaca", "mysql+pymysql://sarpras:KATA_SANDI@127.0.0.1:3306/sarpras"],
    ),
    (
        "a port that is not a number",
        ValueError("invalid literal for int() with base 10: 'abc'"),
        "mysql+pymysql://sarpras:x@127.0.0.1:abc/sarpras",
        ["DATABASE_URL tidak dapat dibaca"],
    ),
    (
        "unsupported kind of database",
        NoSuchModuleError("Can't load plugin: sqlalchemy.dialects:postgres"),
        "postgres://sarpras:x@127.0.0.1/sarpras",
        ["tidak didukung (postgres)"],
    ),
    (
        "schema not made (MariaDB)",
        wrapped(1146, "Table 'sarpras.tb_bidang' doesn't exist", ProgrammingError),
        URL,
        ["Tabel tb_bidang belum ada di basis data", "flask --app wsgi init-db"],
    ),
    (
        "schema not made (SQLite)",
        OperationalError("SELECT 1", {}, Exception("no such table: tb_kunci")),
        "sqlite:////srv/sarpras/instance/sarpras.db",
        ["Tabel tb_kunci belum ada di basis data", "flask --app wsgi init-db"],
    ),
    (
        "SQLite folder missing",
        OperationalError("SELECT 1", {}, Exception("unable to open database file")),
        "sqlite:////tidak/ada/sarpras.db",
        ["Berkas SQLite /tidak/ada/sarpras.db tidak dapat dibuka"],
    ),
]


@pytest.mark.parametrize("name, error, url, phrases", CASES, ids=[case[0] for case in CASES])
def test_each_setup_mistake_gets_one_line_that_says_what_to_do(name, error, url, phrases):
    line = explain(error, url)
    assert line is not None
    assert "\n" not in line
    for phrase in phrases:
        assert phrase in line
    assert "KATA_SANDI" in line or PASSWORD not in line
    assert "x@" not in line


@pytest.mark.parametrize(
    "error, url",
    [
        # Not setup mistakes: they keep their traceback.
        (wrapped(1213, "Deadlock found when trying to get lock"), URL),
        (wrapped(1064, "You have an error in your SQL syntax", ProgrammingError), URL),
        (ValueError("ROUTEROS_PORT is not a number"), URL),
        (OperationalError("SELECT 1", {}, Exception("database is locked")), "sqlite:////tmp/x.db"),
    ],
)
def test_other_errors_are_not_dressed_up(error, url):
    assert explain(error, url) is None


def test_a_mysql_url_without_a_database_name_is_refused_before_connecting():
    with pytest.raises(SetupError, match="tidak menyebut nama basis data"):
        check_database(f"mysql+pymysql://root@127.0.0.1:{free_port()}/")


# --- the real commands, in processes of their own ------------------------------------

COMMANDS = {
    "init-db": [sys.executable, "-m", "flask", "--app", "wsgi", "init-db"],
    "seed-demo": [sys.executable, "-m", "flask", "--app", "wsgi", "seed-demo"],
    "worker": [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
    "create-admin": [
        *[sys.executable, "-m", "flask", "--app", "wsgi", "create-admin"],
        *["--username", "kepala", "--nama", "Kepala Biro", "--password-stdin"],
    ],
    "gunicorn": [
        sys.executable,
        "-m",
        "gunicorn",
        "--preload",
        "--no-control-socket",
        "-b",
        "127.0.0.1:0",
        "wsgi:app",
    ],
}


def run(command, database_url, tmp_path):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(tmp_path / "instance"),
        EMBEDDED_WORKER="off",
        DATABASE_TIMEOUT_SECONDS="5",
    )
    return subprocess.run(
        COMMANDS[command],
        cwd=ROOT,
        env=env,
        input="kata-sandi-baru\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def mariadb_url():
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("mysql"):
        pytest.skip("needs MariaDB (TEST_DATABASE_URL)")
    return make_url(url)


def assert_one_line(result, *phrases):
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert len(output.splitlines()) == 1, output
    assert output.startswith("Galat: "), output
    for phrase in phrases:
        assert phrase in output, output
    assert PASSWORD not in output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_closed_port_is_told_in_one_line(command, tmp_path):
    port = free_port()
    result = run(command, f"mysql+pymysql://sarpras:{PASSWORD}@127.0.0.1:{port}/sarpras", tmp_path)
    assert_one_line(result, f"127.0.0.1:{port} tidak dapat dihubungi")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_password_is_told_in_one_line(command, tmp_path):
    url = mariadb_url().set(password=PASSWORD).render_as_string(hide_password=False)
    result = run(command, url, tmp_path)
    assert_one_line(result, "menolak pengguna", "Access denied")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_database_is_told_in_one_line(command, tmp_path):
    missing = f"tidak_ada_{uuid.uuid4().hex[:8]}"
    url = mariadb_url().set(database=missing).render_as_string(hide_password=False)
    result = run(command, url, tmp_path)
    assert_one_line(result, f"'{missing}' belum ada", "CREATE DATABASE")


@pytest.mark.parametrize("command", ["init-db", "gunicorn"])
def test_a_malformed_url_is_told_in_one_line(command, tmp_path):
    result = run(command, f"mysql+pymysql//sarpras:{PASSWORD}@127.0.0.1/sarpras", tmp_path)
    assert_one_line(result, "DATABASE_URL tidak dapat dibaca")


@pytest.mark.parametrize("command", ["worker", "seed-demo"])
def test_a_database_without_the_schema_is_told_in_one_line(command, tmp_path):
    result = run(command, f"sqlite:///{tmp_path / 'kosong.db'}", tmp_path)
    assert_one_line(result, "belum ada di basis data", "init-db")
