"""Backups: one .tar.gz with the whole database, instance/uploads and a manifest.

`service` puts the parts together; each other module does one step: `checksum` (rows as
a kind-independent digest), `rows` (the portable dump through SQLAlchemy), `mysqldump`
(the MariaDB/MySQL client's dump, read and replayed), `sqlite_copy` (SQLite's online
backup API) and `archive` (the file itself, its manifest and the retention of old ones).
"""
