"""Engine settings that make SQLite and MariaDB/MySQL behave alike under concurrency."""

import fcntl
import os
import sqlite3
import time

from sqlalchemy import event, select
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import Pool

from .extensions import db


def engine_options(url, timeout=None):
    """Engine options; `timeout` (seconds, DATABASE_TIMEOUT_SECONDS) bounds each wait for a
    MySQL server: connecting, every read and write, and a free connection of the pool."""
    if url.startswith("sqlite"):
        # Each write waits up to 30 s for the lock instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    # No rollback when a connection goes back to the pool: every use goes through a
    # Session or Connection, which already ended its transaction, so the pool's own
    # rollback was one more round trip per request for nothing.
    options = {
        "pool_pre_ping": True,
        "pool_recycle": 280,
        "pool_size": 10,
        "max_overflow": 20,
        "pool_reset_on_return": None,
    }
    if timeout and timeout > 0:
        # A server that accepts and then never answers otherwise holds a web worker until
        # gunicorn kills it (PyMySQL waits for ever by default). The worst case is about
        # twice this: the pre-ping of a pooled connection, then one new connection.
        options["connect_args"] = {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "write_timeout": timeout,
        }
        options["pool_timeout"] = timeout
    return options


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling is off so that "begin" below decides how a
    # transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # A deferred SQLite transaction that reads and then writes fails at once with
    # "database is locked" when another writer committed in between. Writers therefore
    # take the lock at BEGIN (run_in_transaction asks for it) and wait their turn, as an
    # InnoDB row lock would make them; readers stay deferred and never block anyone.
    if conn.dialect.name != "sqlite":
        return
    if conn.get_execution_options().get("sqlite_immediate"):
        _take_writer_lock(conn)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


# SQLite's own busy handler polls with sleeps of up to 100 ms, so a waiting writer often
# sleeps on after the lock is free. Writers first queue on a kernel lock beside the
# database file, which wakes the next one the moment the previous one finishes, across
# threads and processes alike (each connection has its own open file).
def _take_writer_lock(conn):
    database = conn.engine.url.database
    if not database or database == ":memory:":
        return
    info = conn.connection.info
    if "writer_lock" not in info:
        info["writer_lock"] = os.open(f"{database}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(info["writer_lock"], fcntl.LOCK_EX)
    info["writer_lock_held"] = True


def _release_writer_lock(info):
    if info.pop("writer_lock_held", False):
        fcntl.flock(info["writer_lock"], fcntl.LOCK_UN)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_end(conn):
    if conn.dialect.name == "sqlite" and not conn.closed and conn.connection is not None:
        _release_writer_lock(conn.connection.info)


@event.listens_for(Pool, "checkin")
def _release_on_checkin(_dbapi_connection, record):
    # A connection returned without commit or rollback (an error path) must not keep
    # every other writer waiting.
    if record is not None:
        _release_writer_lock(record.info)


@event.listens_for(Pool, "close")
def _close_lock_file(_dbapi_connection, record):
    if record is not None and "writer_lock" in record.info:
        _release_writer_lock(record.info)
        os.close(record.info.pop("writer_lock"))


_RETRYABLE_MYSQL = {1205, 1213}  # lock wait timeout, deadlock
# Can't connect, server gone away, lost connection (PyMySQL's read/write timeout), and
# the ones PyMySQL uses for a broken socket.
_UNAVAILABLE_MYSQL = {2003, 2006, 2013, 2014, 2055}


def is_unavailable(error):
    """The database did not answer in time or could not be reached (not a bad query)."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    args = getattr(error.orig, "args", None)
    return error.connection_invalidated or bool(args and args[0] in _UNAVAILABLE_MYSQL)


def is_retryable(error):
    """A lock timeout or deadlock, anywhere in the chain of causes.

    InnoDB rolls back the whole transaction on a deadlock, savepoints included, so what
    surfaces from a begin_nested() block is "SAVEPOINT does not exist" with the deadlock
    as its cause.
    """
    if is_unavailable(error):
        # Trying again would only wait the whole timeout once more.
        return False
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError) and "locked" in str(error.orig).lower():
            return True
        args = getattr(getattr(error, "orig", None), "args", None)
        if isinstance(error, DBAPIError) and args and args[0] in _RETRYABLE_MYSQL:
            return True
        error = error.__cause__ or error.__context__
    return False


def core_execute(statement, params=None):
    """Run a Core statement on the session's connection, without the ORM's execute path.

    For the few statements every incoming message runs: the ORM's checks on the way
    cost more CPU than the statement itself.
    """
    return db.session.connection().execute(statement, params)


def insert_or_ignore(model, **values):
    """Insert a row unless its primary key is taken; either way the row then exists and
    this transaction holds it for writing.

    Many first messages of one sender can arrive at once. A plain INSERT of a taken key
    fails (and on InnoDB leaves a shared lock that deadlocks with the next writer's); on
    MariaDB "ON DUPLICATE KEY UPDATE key = key" locks the existing row for writing
    instead, and SQLite's writers take turns from BEGIN anyway."""
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        statement = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:
        (key,) = (column.name for column in table.primary_key.columns)
        statement = mysql.insert(table).values(**values)
        statement = statement.on_duplicate_key_update({key: statement.inserted[key]})
    core_execute(statement)


def latest_locked(model, key):
    """The row as last committed, locked until this transaction ends (or None): not the
    transaction's first snapshot, nor the session's copy of it. InnoDB reads the latest
    version for a locking read; SQLite's writer has the whole database anyway."""
    statement = select(model).where(model.__mapper__.primary_key[0] == key).with_for_update()
    return db.session.execute(statement, execution_options={"populate_existing": True}).scalar_one_or_none()


def locks_at_begin():
    """Whether a write transaction holds the whole database from its start (SQLite)."""
    return db.session.get_bind().dialect.name == "sqlite"


def run_in_transaction(work, attempts=4):
    """Run work() in a write transaction and commit it.

    A deadlock or lock timeout rolls back and runs work() again, so work() must do all
    its reading and writing inside. Whatever read-only transaction the session had open
    is ended first: a write must not start from an old snapshot.
    """

    def once():
        if db.session().in_transaction():
            db.session.commit()
        try:
            db.session.connection(execution_options={"sqlite_immediate": True})
            result = work()
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise

    return _with_retries(once, attempts)


def _with_retries(once, attempts):
    for attempt in range(attempts):
        try:
            return once()
        except DBAPIError as error:
            if attempt + 1 == attempts or not is_retryable(error):
                raise
            time.sleep(0.05 * (attempt + 1))
