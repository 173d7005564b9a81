"""What the benchmark scripts share: database set-up and percentiles."""

import math
import re
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import normalise_database_url as app_database_url  # noqa: E402,F401


def prepare_mysql(url):
    """Create the database when missing and drop its tables, so every run starts empty."""
    parsed = make_url(url)
    name = parsed.database
    if not name or not re.fullmatch(r"\w+", name):
        raise SystemExit(f"--database needs a plain database name, got {name!r}")
    # set(database="") connects to the server without choosing a database.
    server = create_engine(parsed.set(database=""))
    with server.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
        )
    server.dispose()
    engine = create_engine(parsed)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        for table in inspect(conn).get_table_names():
            conn.exec_driver_sql(f"DROP TABLE `{table}`")
    engine.dispose()


def percentile(values, fraction):
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(max(math.ceil(fraction * len(ordered)), 1), len(ordered))
    return ordered[rank - 1]
