"""Whether this installation can do its work, for a monitor: the database answers, its
schema is the one this code was written for, a worker holds the lease, and the outgoing
queue moves. Knows nothing of HTTP; /readyz turns the checks into 200 or 503.

The database is asked through an engine of its own with a short timeout and no pool, so
a hung server makes the answer 503 within READY_DATABASE_TIMEOUT_SECONDS (about twice it
at worst: connect, then a query) instead of the web requests' longer wait, and a monitor
polling every few seconds never takes a connection the requests need.
"""

from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from . import clock
from .database import is_unavailable
from .extensions import db
from .models import Kunci, Outbox
from .models.outbox import ANTRI
from .worker import LEASE_NAME

_heads = {}
_known = {}


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def remember_head(migrations_dir):
    """The schema revision this code needs, read from the migration scripts once per process
    at start: after a `git pull` without a restart, the running code's own revision is
    still the one that counts."""
    if migrations_dir not in _heads:
        script = ScriptDirectory(migrations_dir)
        _heads[migrations_dir] = frozenset(script.get_heads())
        _known[migrations_dir] = frozenset(revision.revision for revision in script.walk_revisions())
    return _heads[migrations_dir]


def known_revisions(migrations_dir):
    """Every revision the running code knew at start: a schema at another one was made
    by newer code (install.sh after a `git pull`, this process not yet restarted)."""
    remember_head(migrations_dir)
    return _known[migrations_dir]


def engine_for(app):
    engine = app.extensions.get("readiness_engine")
    if engine is None:
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        timeout = app.config["READY_DATABASE_TIMEOUT_SECONDS"]
        if url.startswith("sqlite"):
            # Reads under WAL wait for no writer; the timeout is for a locked schema change.
            connect_args = {"timeout": timeout, "check_same_thread": False}
        else:
            connect_args = {"connect_timeout": timeout, "read_timeout": timeout, "write_timeout": timeout}
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        app.extensions["readiness_engine"] = engine
    return engine


def checks(app, migrations_dir):
    """{name: Check} for database, migrations, worker and outbox, in that order."""
    try:
        connection = engine_for(app).connect()
    except SQLAlchemyError as error:
        return _all_failed(_database_failure(error))
    try:
        with connection.begin():
            connection.execute(text("SELECT 1"))
            now = clock.utcnow()
            found = {"database": Check(True, "basis data menjawab")}
            for name, check in (
                (
                    "migrations",
                    lambda: _migrations(
                        connection, remember_head(migrations_dir), known_revisions(migrations_dir)
                    ),
                ),
                ("worker", lambda: _worker(connection, now)),
                ("outbox", lambda: _outbox(connection, now, app.config["READY_OUTBOX_MAX_AGE_SECONDS"])),
            ):
                try:
                    with connection.begin_nested():
                        found[name] = check()
                except SQLAlchemyError as error:
                    if is_unavailable(error):
                        raise
                    found[name] = Check(False, _schema_failure(error))
            return found
    except SQLAlchemyError as error:
        return _all_failed(_database_failure(error))
    finally:
        connection.close()


def alive(logger):
    """/healthz: one query on the app's own pool, as cheap as can be. A failure is logged
    by the error's kind only (its message may hold the host, the user or the database)."""
    try:
        db.session.execute(select(1))
    except SQLAlchemyError as error:
        db.session.rollback()
        logger.warning("/healthz: basis data tidak dapat dipakai (%s)", error_kind(error))
        return False
    return True


def _all_failed(database):
    unknown = Check(False, "tidak diperiksa: basis data tidak menjawab")
    return {"database": database, "migrations": unknown, "worker": unknown, "outbox": unknown}


def _database_failure(error):
    if is_unavailable(error):
        return Check(False, "basis data tidak menjawab atau tidak terjangkau")
    return Check(False, f"basis data menolak sambungan ({error_kind(error)})")


def _schema_failure(error):
    return f"tabel tidak terbaca ({error_kind(error)}): jalankan flask --app wsgi init-db"


def error_kind(error):
    """The error's class and the server's code, never its message: that may name the host,
    the user or the database."""
    orig = getattr(error, "orig", error)
    args = getattr(orig, "args", ())
    code = f" {args[0]}" if args and isinstance(args[0], int) else ""
    return f"{type(orig).__name__}{code}"


def _migrations(connection, heads, known=frozenset()):
    try:
        current = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError as error:
        if is_unavailable(error):
            raise
        current = set()  # no alembic_version: a database init-db has not seen
    if current == heads:
        return Check(True, f"skema di revisi {', '.join(sorted(heads))}")
    needed = ", ".join(sorted(heads))
    if not current:
        return Check(False, f"skema belum dibuat (perlu revisi {needed}): jalankan flask --app wsgi init-db")
    if current - known:
        return Check(
            False,
            f"skema di revisi {', '.join(sorted(current))}, lebih baru dari kode yang berjalan ({needed}): "
            "mulai ulang layanan (systemctl restart sarpras-web sarpras-worker)",
        )
    return Check(
        False,
        f"skema di revisi {', '.join(sorted(current))}, kode ini perlu {needed}: jalankan flask --app wsgi init-db",
    )


def _worker(connection, now):
    until = connection.execute(select(Kunci.berlaku_sampai).where(Kunci.nama == LEASE_NAME)).scalar()
    if until is None:
        return Check(False, "belum pernah ada worker: jalankan flask --app wsgi worker")
    if until < now:
        return Check(
            False,
            f"tidak ada worker aktif sejak {_seconds(now - until)} detik: jalankan flask --app wsgi worker",
        )
    return Check(True, "worker memegang lease")


def _outbox(connection, now, max_age):
    oldest = connection.execute(
        select(func.min(Outbox.kirim_setelah)).where(Outbox.status == ANTRI, Outbox.kirim_setelah <= now)
    ).scalar()
    age = 0 if oldest is None else _seconds(now - oldest)
    if age > max_age:
        return Check(False, f"pesan tertua menunggu {age} detik (batas {max_age:g})")
    return Check(True, f"pesan tertua menunggu {age} detik (batas {max_age:g})")


def _seconds(delta):
    return max(0, int(delta.total_seconds()))
