"""The database mistakes an admin makes while setting up (a malformed DATABASE_URL, a user
the server refuses, a database not created yet, a server not reachable), told in one line
that says what is wrong and what to do, instead of a traceback.

`explain` is pure: the exception and DATABASE_URL in, the sentence out (None for anything
else, which keeps its traceback). The sentence never carries the password: it is built
from the URL's other parts and the server's own message, which holds none.
"""

import contextlib
import re
import sys

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

# MySQL/MariaDB error codes (server errors 1xxx, client errors 2xxx).
DB_ACCESS_DENIED = 1044  # the user may log in but not use this database
ACCESS_DENIED = 1045  # wrong user, password, or host the user was created for
NO_DATABASE_SELECTED = 1046
UNKNOWN_DATABASE = 1049
TABLE_ACCESS_DENIED = 1142  # e.g. a user granted SELECT only, at CREATE TABLE
NO_SUCH_TABLE = 1146
HOST_NOT_ALLOWED = 1130
CANNOT_CONNECT_SOCKET = 2002
CANNOT_CONNECT = 2003
UNKNOWN_HOST = 2005
LOST_CONNECTION = 2013

EXAMPLE_URL = "mysql+pymysql://sarpras:KATA_SANDI@127.0.0.1:3306/sarpras"
# Used by gunicorn and the `flask` commands alike when they stop on one of these: 4 is
# gunicorn's "App failed to load", after which it stops instead of starting the worker
# process again and again.
EXIT_CODE = 4


class SetupError(Exception):
    """A setup mistake, with the one line to show the admin."""


def _parts(url):
    """(user, host:port, database) of a URL, or None when it cannot be read."""
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError, TypeError):
        return None
    host = parsed.host or "localhost"
    return parsed.username or "", f"{host}:{port or 3306}", parsed.database or ""


def _server_account(message, user, host):
    """'user'@'host' as the server saw the client (the host a CREATE USER must name)."""
    found = re.search(r"user '([^']*)'@'([^']*)'", message)
    return f"'{found.group(1)}'@'{found.group(2)}'" if found else f"'{user}'@'{host.split(':')[0]}'"


def explain(error, url):
    """One line (Indonesian, like the other admin messages) for a setup mistake, or None."""
    if isinstance(error, NoSuchModuleError):
        scheme = url.split(":", 1)[0] if ":" in url else url
        return (
            f"DATABASE_URL memakai jenis basis data yang tidak didukung ({scheme}): "
            f"tulis seperti {EXAMPLE_URL} (MariaDB/MySQL) atau sqlite:///jalur/sarpras.db."
        )
    parts = _parts(url)
    if parts is None:
        return (
            f"DATABASE_URL tidak dapat dibaca: tulis seperti {EXAMPLE_URL} "
            "(tanda @ : / # di kata sandi ditulis %40 %3A %2F %23)."
        )
    if not isinstance(error, DBAPIError):
        return None
    user, host, database = parts
    orig = error.orig
    if url.startswith("sqlite"):
        missing = re.match(r"no such table: (\w+)", str(orig))
        if missing:
            return _no_schema(missing.group(1))
        if "unable to open database file" in str(orig):
            return (
                f"Berkas SQLite {make_url(url).database} tidak dapat dibuka: pastikan foldernya ada "
                "dan dapat ditulis oleh pengguna yang menjalankan aplikasi."
            )
        return None
    code = orig.args[0] if orig is not None and orig.args and isinstance(orig.args[0], int) else None
    message = str(orig.args[1]) if orig is not None and len(orig.args) > 1 else ""
    if code == NO_SUCH_TABLE:
        missing = re.search(r"Table '(?:[^'.]*\.)?([^'.]+)' doesn't exist", message)
        return _no_schema(missing.group(1) if missing else "")
    if code == ACCESS_DENIED:
        account = _server_account(message, user, host)
        return (
            f"Server basis data {host} menolak pengguna {account} (Access denied): periksa nama pengguna dan "
            f"kata sandi di DATABASE_URL, dan bahwa akun {account} ada di MariaDB "
            f"(CREATE USER {account} IDENTIFIED BY '...'; GRANT ALL ON `{database}`.* TO {account};)."
        )
    if code == DB_ACCESS_DENIED:
        account = _server_account(message, user, host)
        return (
            f"Pengguna {account} tidak berhak atas basis data '{database}': "
            f"jalankan GRANT ALL ON `{database}`.* TO {account}; sebagai root MariaDB."
        )
    if code == TABLE_ACCESS_DENIED:
        account = _server_account(message, user, host)
        return (
            f"Pengguna {account} kurang hak atas basis data '{database}' ({message}): "
            f"jalankan GRANT ALL ON `{database}`.* TO {account}; sebagai root MariaDB."
        )
    if code == UNKNOWN_DATABASE:
        return (
            f"Basis data '{database}' belum ada di server {host}: buat dengan "
            f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; lalu jalankan lagi."
        )
    if code == NO_DATABASE_SELECTED:
        return f"DATABASE_URL tidak menyebut nama basis data: tulis seperti {EXAMPLE_URL}."
    if code == HOST_NOT_ALLOWED:
        return (
            f"Server basis data {host} tidak menerima sambungan dari mesin ini: buat pengguna '{user}' "
            "untuk alamat mesin ini, atau pakai 127.0.0.1 bila MariaDB ada di mesin yang sama."
        )
    if code == UNKNOWN_HOST or (code == CANNOT_CONNECT and "Name or service not known" in message):
        return f"Nama host di DATABASE_URL ({host}) tidak dikenal: periksa DATABASE_URL."
    if code in (CANNOT_CONNECT, CANNOT_CONNECT_SOCKET, LOST_CONNECTION):
        reason = re.search(r"\(\[Errno -?\d+\] ([^)]*)\)|\((timed out)\)", message)
        why = f" ({reason.group(1) or reason.group(2)})" if reason else ""
        return (
            f"Server basis data {host} tidak dapat dihubungi{why}: pastikan MariaDB berjalan "
            "(systemctl status mariadb) dan host serta port di DATABASE_URL benar."
        )
    return None


def _no_schema(table):
    return (
        f"Tabel {table or 'aplikasi'} belum ada di basis data: jalankan dahulu flask --app wsgi init-db "
        "(membuat atau memutakhirkan skema)."
    )


def check_database(url, connect_args=None):
    """Connect once (outside the app's pool, which keeps nothing of it) and raise
    SetupError with the line to show when one of the mistakes above stops it."""
    parts = _parts(url)
    if parts is not None and not url.startswith("sqlite") and not parts[2]:
        raise SetupError(f"DATABASE_URL tidak menyebut nama basis data: tulis seperti {EXAMPLE_URL}.")
    try:
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args or {})
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        finally:
            engine.dispose()
    except (ArgumentError, ValueError, DBAPIError) as error:
        line = explain(error, url)
        if line is None:
            raise
        raise SetupError(line) from None


def check_app_database(app):
    """check_database for the app's configured database, with its connect timeout."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    connect_args = {k: v for k, v in options.get("connect_args", {}).items() if k == "connect_timeout"}
    check_database(app.config["SQLALCHEMY_DATABASE_URI"], connect_args)


@contextlib.contextmanager
def exit_on_setup_error(url):
    """Print the line of a setup mistake raised inside to stderr and exit non-zero."""
    try:
        yield
    except SetupError as error:
        _stop(str(error))
    except (ArgumentError, ValueError, DBAPIError) as error:
        line = explain(error, url)
        if line is None:
            raise
        _stop(line)


def _stop(line):
    print(f"Galat: {line}", file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(EXIT_CODE)
