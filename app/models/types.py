"""Column types that mean the same on SQLite and MariaDB/MySQL."""

from sqlalchemy import DateTime, Text
from sqlalchemy.dialects import mysql

# A WhatsApp message may be 65,536 characters of 4-byte emoji: more than MySQL's TEXT.
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
# MySQL's DATETIME drops fractions of a second unless asked; queue timings need them.
PreciseDateTime = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

TABLE_ARGS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}
