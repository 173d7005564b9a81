"""Backup and restore of a whole installation: the database, instance/uploads and,
when asked, the secret key. The CLI commands (app/cli.py) only call these."""

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import create_engine, inspect, make_url, select, text

from .. import clock
from ..extensions import db
from . import archive, checksum, mysqldump, rows, sqlite_copy

METHODS = ("auto", "sqlite", "mysqldump", "sql")
SQLITE_FILE = "database/sarpras.sqlite"
DUMP_FILE = "database/mysqldump.sql"
TABLES_DIR = "database/tables"
SECRET_FILE = "secret_key"
ALEMBIC = "alembic_version"


class BackupError(Exception):
    """What went wrong, in one line for the admin (never with a password in it)."""


def database_kind(url):
    return "sqlite" if url.get_backend_name() == "sqlite" else "mysql"


def choose_method(kind, asked):
    if asked in (None, "auto"):
        if kind == "sqlite":
            return "sqlite"
        return "mysqldump" if mysqldump.available() else "sql"
    if asked == "sqlite" and kind != "sqlite":
        raise BackupError("metode sqlite hanya untuk basis data SQLite")
    if asked == "mysqldump" and kind != "mysql":
        raise BackupError("metode mysqldump hanya untuk MariaDB/MySQL")
    if asked == "mysqldump" and not mysqldump.available():
        raise BackupError("program mysqldump tidak ditemukan (paket mariadb-client); pakai --method sql")
    return asked


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _instance():
    return Path(current_app.config["INSTANCE_DIR"])


def _migrations():
    from .. import MIGRATIONS_DIR

    config = current_app.extensions["migrate"].migrate.get_config(MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config)


# --- backup -------------------------------------------------------------------------


def backup(output, method=None, keep=None, with_secret_key=False):
    """Write a backup to `output` (a file, or a directory for a dated name); returns
    (path, manifest, pruned paths)."""
    url = _url()
    kind = database_kind(url)
    method = choose_method(kind, method)
    if kind == "sqlite" and not Path(url.database or "").is_file():
        raise BackupError(f"basis data SQLite {url.database} tidak ada")
    now = clock.utcnow()
    names_folder = str(output).endswith(os.sep)
    output = Path(output)
    if names_folder or output.is_dir():
        output.mkdir(parents=True, exist_ok=True, mode=0o700)
        output = output / archive.default_name(now)
    if not output.parent.is_dir():
        raise BackupError(f"folder {output.parent} tidak ada")
    writer = archive.Writer(output)
    staging = Path(tempfile.mkdtemp(prefix=".sarpras-backup-", dir=output.parent))
    try:
        manifest = _dump_database(url, kind, method, staging, writer)
        _add_uploads(writer)
        if with_secret_key:
            writer.add_bytes(SECRET_FILE, current_app.config["SECRET_KEY"].encode())
        manifest.update(
            {
                "format": archive.FORMAT,
                "created": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "database": {"kind": kind, "method": method},
                "secret_key": with_secret_key,
            }
        )
        manifest = writer.finish(manifest)
    except BaseException:
        writer.abandon()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        # No pooled connection keeps the UTC session time zone set for the dump.
        db.engine.dispose()
    pruned = archive.prune(output.parent, keep, output) if keep else []
    return output, manifest, pruned


def _dump_database(url, kind, method, staging, writer):
    if method == "sqlite":
        snapshot = staging / "sarpras.sqlite"
        sqlite_copy.copy(url.database, snapshot)
        engine = create_engine(f"sqlite:///{snapshot}")
        try:
            with engine.connect() as connection:
                tables = checksum.sum_database(connection)
        finally:
            engine.dispose()
        writer.add_file(SQLITE_FILE, snapshot)
        return {"migration": _migration_of(tables, snapshot), "tables": tables}
    if method == "mysqldump":
        with db.engine.connect() as connection:
            kinds = {table.name: checksum.kinds(table) for table in checksum.reflect(connection)}
        dump_path = staging / "mysqldump.sql"
        try:
            sums = mysqldump.dump(url, dump_path, kinds, stall_seconds=_stall_seconds())
        except RuntimeError as error:
            raise BackupError(str(error)) from None
        writer.add_file(DUMP_FILE, dump_path)
        tables = {name: total.as_dict() for name, total in sorted(sums.items())}
        return {"migration": _migration_in_dump(dump_path), "tables": tables}
    return _dump_rows(kind, staging, writer)


def _stall_seconds():
    """How long mysqldump may write nothing before the server is taken as hung: a few
    times the longest wait for one query's answer (DATABASE_TIMEOUT_SECONDS; 0, for ever)."""
    return 3 * current_app.config["DATABASE_TIMEOUT_SECONDS"]


def _dump_rows(kind, staging, writer):
    """The portable dump, all tables in one snapshot: InnoDB's consistent snapshot at
    REPEATABLE READ, or one SQLite read transaction."""
    known = set(db.metadata.tables) | {ALEMBIC}
    tables, skipped = {}, []
    folder = staging / "tables"
    folder.mkdir()
    with db.engine.connect() as connection:
        if kind == "mysql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            _utc(connection)
            connection.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        else:
            connection.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").all()
        for table in checksum.reflect(connection):
            if table.name not in known:
                skipped.append(table.name)
                continue
            path = folder / f"{table.name}.jsonl"
            tables[table.name] = rows.dump_table(connection, table, path).as_dict()
        sequences = rows.sequences(connection)
        migration = _current_revision(connection)
        connection.rollback()
    for name in tables:
        writer.add_file(f"{TABLES_DIR}/{name}.jsonl", folder / f"{name}.jsonl")
    return {
        "migration": migration,
        "tables": tables,
        "sequences": {name: value for name, value in sequences.items() if name in tables},
        "skipped_tables": skipped,
    }


def _utc(connection):
    """TIMESTAMP values as UTC on this MariaDB connection, whatever the server's or the
    connection's time zone: mysqldump writes them so (its --tz-utc), and every dump, load
    and checksum here reads and writes them the same way."""
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SET time_zone = '+00:00'")


def _current_revision(connection):
    if ALEMBIC not in inspect(connection).get_table_names():
        return None
    return connection.execute(text(f"SELECT version_num FROM {ALEMBIC}")).scalar()


def _migration_of(tables, snapshot):
    if ALEMBIC not in tables:
        return None
    with closing(sqlite3.connect(snapshot)) as connection:
        row = connection.execute(f"SELECT version_num FROM {ALEMBIC}").fetchone()
    return row[0] if row else None


def _migration_in_dump(path):
    for statement in mysqldump.read_statements(path):
        if statement.startswith(f"INSERT INTO `{ALEMBIC}`"):
            ((value,),) = mysqldump.parse_values(statement, statement.index(" VALUES ") + 8)
            return value
    return None


def _add_uploads(writer):
    uploads = _instance() / "uploads"
    if not uploads.is_dir():
        return
    for path in sorted(uploads.rglob("*")):
        if path.is_file() and not path.is_symlink():
            writer.add_file(f"uploads/{path.relative_to(uploads).as_posix()}", path)


# --- restore ------------------------------------------------------------------------


def restore(path, force=False):
    """Restore the backup at `path` into this app's database and instance folder.
    Returns a dict of what was done (for the CLI's report)."""
    url = _url()
    kind = database_kind(url)
    instance = _instance()
    instance.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance))
    try:
        try:
            manifest = archive.unpack(path, work)
        except archive.ArchiveError as error:
            raise BackupError(f"Arsip ditolak: {error}.") from None
        source = manifest["database"]
        revision = manifest.get("migration")
        _check_revision(revision)
        if source["method"] == "mysqldump" and kind != "mysql":
            raise BackupError(
                "Arsip mysqldump hanya dapat dipulihkan ke MariaDB/MySQL; "
                "untuk pindah jenis basis data buat cadangan dengan --method sql."
            )
        if source["method"] == "sql":
            for name in manifest["tables"]:
                _table_file(name, manifest)
        if not force:
            busy = _first_table_with_rows()
            if busy:
                raise BackupError(
                    f"Basis data tujuan tidak kosong (tabel {busy} berisi data); "
                    "pulihkan ke basis data kosong, atau tambahkan --force untuk menimpanya."
                )
        _load(url, kind, source["method"], manifest, work)
        _verify(manifest["tables"])
        upgraded = _upgrade_if_older(revision)
        files = _move_uploads(work)
        secret = _restore_secret(work, instance) if manifest.get("secret_key") else None
        return {
            "tables": len(manifest["tables"]),
            "rows": sum(facts["rows"] for facts in manifest["tables"].values()),
            "files": files,
            "revision": revision,
            "upgraded": upgraded,
            "secret": secret,
            "created": manifest["created"],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
        db.engine.dispose()


def _check_revision(revision):
    if revision is None:
        raise BackupError("Arsip tidak memuat versi skema (alembic_version); tidak dapat dipulihkan.")
    script = _migrations()
    try:
        script.get_revision(revision)
    except Exception:  # noqa: BLE001 (alembic raises several kinds for an unknown id)
        raise BackupError(
            f"Arsip dibuat oleh versi aplikasi yang lebih baru (skema {revision}); perbarui aplikasi dulu."
        ) from None


def _first_table_with_rows():
    with db.engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            if name == ALEMBIC:
                continue
            quoted = connection.dialect.identifier_preparer.quote(name)
            if connection.exec_driver_sql(f"SELECT 1 FROM {quoted} LIMIT 1").first():
                return name
    return None


def _load(url, kind, method, manifest, work):
    db.session.remove()
    db.engine.dispose()
    if method == "sqlite" and kind == "sqlite":
        snapshot = work / SQLITE_FILE
        _checked_sqlite(snapshot)
        sqlite_copy.copy(snapshot, url.database)
        db.engine.dispose()
        return
    _wipe(url, kind)
    if method == "mysqldump":
        connection = db.engine.raw_connection()
        try:
            mysqldump.replay(connection.driver_connection, work / DUMP_FILE)
        except Exception as error:
            raise BackupError(f"Pemulihan dump gagal: {error}") from None
        finally:
            connection.close()
        return
    from flask_migrate import upgrade

    from .. import MIGRATIONS_DIR

    upgrade(directory=MIGRATIONS_DIR, revision=manifest["migration"])
    db.engine.dispose()
    if method == "sqlite":
        _load_from_sqlite(work / SQLITE_FILE)
    else:
        tables = {
            name: rows.read_table(work / _table_file(name, manifest))
            for name in manifest["tables"]
            if name != ALEMBIC
        }
        with db.engine.begin() as connection:
            _utc(connection)
            _load_rows(connection, tables)
            # Only tables just loaded, which the target's schema has: the manifest's names
            # never reach SQL otherwise.
            sequences = manifest.get("sequences", {})
            rows.set_sequences(connection, {name: sequences[name] for name in tables if name in sequences})


def _table_file(name, manifest):
    """The archive member of a table of the portable dump: one the manifest lists (and
    unpack checked), so a table name such as `../x` never names a file outside it."""
    member = f"{TABLES_DIR}/{name}.jsonl"
    if member not in manifest.get("files", {}):
        raise BackupError(f"Arsip ditolak: tabel {name!r} tanpa berkasnya di arsip.")
    return member


def _load_rows(connection, tables):
    try:
        rows.load(connection, tables)
    except ValueError as error:
        raise BackupError(f"Arsip tidak cocok dengan skema: {error}.") from None


def _load_from_sqlite(snapshot):
    """A SQLite backup into MariaDB: its rows, read through SQLAlchemy."""
    _checked_sqlite(snapshot)
    source = create_engine(f"sqlite:///{snapshot}")
    try:
        with source.connect() as reading, db.engine.begin() as writing:
            _utc(writing)
            tables = {}
            for table in checksum.reflect(reading):
                if table.name == ALEMBIC:
                    continue
                columns = [column.name for column in table.columns]
                result = reading.execution_options(stream_results=True).execute(select(table))
                tables[table.name] = (columns, iter(result))
            _load_rows(writing, tables)
    finally:
        source.dispose()


def _checked_sqlite(snapshot):
    try:
        sqlite_copy.check(snapshot)
    except ValueError as error:
        raise BackupError(f"Arsip ditolak: {error}.") from None


def _wipe(url, kind):
    """Drop every table of the target: it is empty (checked) or the admin said --force."""
    if kind == "sqlite":
        with closing(sqlite3.connect(url.database)) as connection:
            connection.isolation_level = None
            connection.execute("PRAGMA foreign_keys=OFF")
            names = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            for name in names:
                connection.execute(f'DROP TABLE "{name}"')
        return
    with db.engine.begin() as connection:
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        found = inspect(connection)
        quote = connection.dialect.identifier_preparer.quote
        for name in found.get_view_names():
            connection.exec_driver_sql(f"DROP VIEW {quote(name)}")
        for name in found.get_table_names():
            connection.exec_driver_sql(f"DROP TABLE {quote(name)}")
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")


def _verify(expected):
    db.engine.dispose()
    with db.engine.connect() as connection:
        _utc(connection)
        found = checksum.sum_database(connection)
    wrong = [_difference(name, found.get(name), facts) for name, facts in sorted(expected.items())]
    wrong = [text for text in wrong if text]
    if wrong:
        raise BackupError(f"Hasil pemulihan tidak cocok dengan manifest: {', '.join(wrong[:5])}.")


def _difference(name, found, expected):
    if found == expected:
        return None
    if found is None:
        return f"{name} (tabel tidak ada)"
    if found["rows"] != expected["rows"]:
        return f"{name} ({found['rows']} baris, diharapkan {expected['rows']})"
    return f"{name} (isi berbeda: checksum tidak sama)"


def _upgrade_if_older(revision):
    head = _migrations().get_current_head()
    if revision == head:
        return None
    from flask_migrate import upgrade

    from .. import MIGRATIONS_DIR

    upgrade(directory=MIGRATIONS_DIR)
    return head


def _move_uploads(work):
    source = work / "uploads"
    if not source.is_dir():
        return 0
    target = _instance() / "uploads"
    moved = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
            moved += 1
    return moved


def _restore_secret(work, instance):
    """Put the archived key in instance/secret_key; returns a note for the admin."""
    key = (work / SECRET_FILE).read_text().strip()
    path = instance / "secret_key"
    before = path.read_text().strip() if path.exists() else None
    # The key in use did not come from that file: SECRET_KEY is set (.env), and wins.
    given = current_app.config["SECRET_KEY"] != before
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    os.chmod(path, 0o600)
    if given and current_app.config["SECRET_KEY"] != key:
        return (
            "Kunci rahasia dipulihkan ke instance/secret_key, tetapi SECRET_KEY di .env berbeda "
            "dan tetap dipakai: password router perlu diisi ulang."
        )
    return "Kunci rahasia dipulihkan ke instance/secret_key."
