"""SQLite through its online backup API: a consistent copy while the app keeps writing."""

import sqlite3
from contextlib import closing


def copy(source_path, target_path):
    """Copy the database at `source_path` over the one at `target_path`, page by page in
    one step (a reader's snapshot: writers of the app are not held up)."""
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(target_path)) as target:
        source.backup(target)


def check(path):
    """Raise ValueError unless the file is a sound SQLite database."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise ValueError(f"berkas SQLite di arsip rusak: {error}") from None
    if result != "ok":
        raise ValueError(f"berkas SQLite di arsip rusak: {result}")
