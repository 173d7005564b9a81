"""Which database errors are worth running a transaction again for."""

import pymysql
from sqlalchemy.exc import IntegrityError, OperationalError

from app.database import is_retryable


def mysql_error(code, message):
    return OperationalError("statement", {}, pymysql.err.OperationalError(code, message))


def test_a_deadlock_is_retried():
    assert is_retryable(mysql_error(1213, "Deadlock found when trying to get lock"))


def test_a_lock_wait_timeout_is_retried():
    assert is_retryable(mysql_error(1205, "Lock wait timeout exceeded"))


def test_a_deadlock_behind_a_lost_savepoint_is_retried():
    """InnoDB drops the savepoint with the transaction; the deadlock is the cause."""
    lost = mysql_error(1305, "SAVEPOINT sa_savepoint_1 does not exist")
    lost.__context__ = mysql_error(1213, "Deadlock found when trying to get lock")
    assert is_retryable(lost)


def test_a_locked_sqlite_database_is_retried():
    import sqlite3

    assert is_retryable(OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")))


def test_a_duplicate_key_is_not_retried():
    assert not is_retryable(IntegrityError("INSERT", {}, pymysql.err.IntegrityError(1062, "Duplicate entry")))
    assert not is_retryable(mysql_error(1305, "SAVEPOINT sa_savepoint_1 does not exist"))
