"""CPU per Fonnte webhook, in-process: the number the webhook benchmark's throughput hangs on.

Runs N `#request` webhooks through Flask's test client against the given database and
prints CPU and wall milliseconds per webhook, three rounds; --profile prints cProfile's top
functions instead. The app's own cost without gunicorn, the worker or the load generator:

    .venv/bin/python scripts/profile_webhook.py --database mysql+pymysql://root@127.0.0.1:3306/sarpras_prof
    .venv/bin/python scripts/profile_webhook.py --profile
    .venv/bin/python scripts/profile_webhook.py --categories 20  # matched against 20 categories

SQLite runs on a fresh file in a temporary directory. A MariaDB/MySQL database is created
when missing and all its tables are dropped first, so never point it at real data.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_common import app_database_url, prepare_mysql  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument(
        "--categories", type=int, default=0, help="categories of 11 keywords each (the first matches 'lampu')"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sarpras-profile-"))
    url = args.database or f"sqlite:///{workdir / 'profile.db'}"
    if args.database:
        prepare_mysql(args.database)
    os.environ.update(
        DATABASE_URL=app_database_url(url),
        INSTANCE_PATH=str(workdir),
        EMBEDDED_WORKER="off",
        SECRET_KEY="profile",
        WA_PROVIDER="fonnte",
    )
    from app import create_app
    from app.cli import upgrade_schema

    app = create_app()
    with app.app_context():
        upgrade_schema()
        add_categories(args.categories)
    client = app.test_client()
    counter = iter(range(10**9))

    def webhooks(count):
        for _ in range(count):
            index = next(counter)
            body = {
                "device": "6281100000000",
                "sender": str(6281200000000 + index % 300),
                "message": f"#request profil {index} lampu mati",
                "name": "Profil",
                "inboxid": index + 1,
            }
            response = client.post("/webhook/fonnte", json=body)
            if response.status_code != 200:
                raise SystemExit(f"HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")

    webhooks(200)  # warm caches and the connection pool
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        webhooks(args.requests)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    print(f"backend: {url.split(':')[0]} | webhooks: {args.requests} per round")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        webhooks(args.requests)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"cpu {cpu / args.requests * 1000:.2f} ms/webhook, wall {wall / args.requests * 1000:.2f} ms/webhook"
        )


def add_categories(count):
    from app.extensions import db
    from app.models import Bidang

    for number in range(count):
        words = ["lampu"] if number == 0 else []
        words += [f"kata{number}x{k}" for k in range(10 - len(words))] + [f"dua kata{number}"]
        db.session.add(Bidang(nama=f"Kategori {number}", kata=", ".join(words)))
    db.session.commit()


if __name__ == "__main__":
    main()
