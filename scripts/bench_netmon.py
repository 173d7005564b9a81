"""Network monitor benchmark: alert latency (push and polling) and the poller's CPU.

    .venv/bin/python scripts/bench_netmon.py [--flips 40] [--cpu-seconds 30]

Everything runs on loopback: loopback MikroTik routers speaking the RouterOS API wire
protocol and a loopback Telegram Bot API (tests/peers), with the app's real worker, outbox,
routeros-api and HTTP in between, on a fresh SQLite database in a temporary directory
(or DATABASE_URL when set).

1. Push: a host flips on the router and Netwatch's script calls /netmon/hook (as
   `/tool fetch` would); time from the flip to the alert arriving at Telegram.
   Measured with the worker in the web process (as run.sh starts it) and again with
   `flask --app wsgi worker` as a process of its own (production).
2. Polling at NETMON_INTERVAL=1: a host flips on the router; time until the alert arrives.
3. CPU: 2,000 hosts on 20 routers (served by a separate process, a few hosts flipping
   every round) polled every 5 seconds; the app process's CPU time over the window, as a
   share of one core.
4. Uptime: 2,000 hosts with 30 days of outages (10 each, 40,000 events): the time to
   compute the uptime page's table and the /monitor answer, both from the stored events.
   `--only uptime` runs this part alone.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456:BENCH-token_abcdefghijklmnopqrstuvw"
CHAT = "424242"
HOOK_TOKEN = "bench-hook"


def make_app(tmp, **overrides):
    from app import create_app
    from app.cli import upgrade_schema

    config = {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}",
        "INSTANCE_DIR": str(tmp / "instance"),
        "SECRET_KEY": "bench",
        "EMBEDDED_WORKER": "off",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_ADMIN_CHAT_IDS": [CHAT],
        "TELEGRAM_POLL_TIMEOUT": 2,
        "NETMON_HOOK_TOKEN": HOOK_TOKEN,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade_schema()
    return app


def add_routers(app, ports):
    from app.database import run_in_transaction
    from app.netmon import routers

    with app.app_context():
        run_in_transaction(
            lambda: [
                routers.new_router(f"r{i}", "127.0.0.1", port, "admin", "rahasia", False)
                for i, port in enumerate(ports)
            ]
        )


def start_worker(app):
    from app.worker import Worker

    worker = Worker(app).start()
    while not worker.active.is_set():
        time.sleep(0.05)
    return worker


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name, latencies):
    ms = [v * 1000 for v in latencies]
    print(
        f"{name}: n={len(ms)} p50={statistics.median(ms):.0f} ms p90={percentile(ms, 90):.0f} ms "
        f"max={max(ms):.0f} ms"
    )
    return ms


def flip_and_wait(router, telegram, host, state, after_flip=None):
    count = len(telegram.sent)
    started = time.time()
    router.set_status(host, state)
    if after_flip:
        after_flip(host, state)
    sent = telegram.wait_for(count + 1, timeout=15)
    if len(sent) <= count:
        raise SystemExit(f"no alert for {host} {state}")
    return sent[count]["at"] - started


def worker_process(tmp, telegram_url):
    """`flask --app wsgi worker` on the same database: the production layout."""
    env = dict(
        os.environ,
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}",
        INSTANCE_PATH=str(tmp / "instance"),
        SECRET_KEY="bench",
        EMBEDDED_WORKER="off",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=telegram_url,
        TELEGRAM_ADMIN_CHAT_IDS=CHAT,
        TELEGRAM_POLL_TIMEOUT="2",
        NETMON_INTERVAL="60",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def latency(args, tmp, push, separate=False):
    from tests.peers.routeros import FakeRouter
    from tests.peers.telegram import FakeTelegram

    router, telegram = FakeRouter().start(), FakeTelegram(TOKEN).start()
    hosts = [f"10.1.0.{n}" for n in range(1, 11)]
    for host in hosts:
        router.add_host(host, "up", f"Cabang {host}")
    # Push is measured with polling far apart, so only the hook can be quick.
    app = make_app(tmp, TELEGRAM_API_URL=telegram.base_url, NETMON_INTERVAL=60 if push else 1)
    add_routers(app, [router.port])
    server = after_flip = None
    if push:
        import requests
        from werkzeug.serving import make_server

        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/netmon/hook"
        session = requests.Session()

        def after_flip(host, state):  # Netwatch's up/down script: /tool fetch url=...
            session.get(url, params={"token": HOOK_TOKEN, "host": host, "state": state}, timeout=5)

    if separate:
        worker = worker_process(tmp, telegram.base_url)
        while not telegram.polls:  # its Telegram long poll starts once it holds the lease
            time.sleep(0.05)
    else:
        worker = start_worker(app)
    with app.app_context():
        from app.netmon import poller

        poller.poll_all(app.config)  # learn the hosts
    results, states = [], dict.fromkeys(hosts, "up")
    for n in range(args.flips):
        host = hosts[n % len(hosts)]
        states[host] = "down" if states[host] == "up" else "up"
        results.append(flip_and_wait(router, telegram, host, states[host], after_flip))
        # Telegram takes about one message a second per chat: stay under it, and land
        # the next flip at a random point of the poll interval.
        time.sleep(1.0 + random.random() * (0.5 if push else 1.0))
    if separate:
        worker.terminate()
        worker.wait(15)
    else:
        worker.stop()
    if server:
        server.shutdown()
    router.stop()
    telegram.stop()
    return results


def serve_routers(count, hosts_each, flip_every):
    """Child process: routers on loopback; prints their ports; flips a few hosts a round."""
    from tests.peers.routeros import FakeRouter

    routers = []
    for r in range(count):
        router = FakeRouter().start()
        for h in range(hosts_each):
            router.add_host(f"10.{r}.{h // 250}.{h % 250 + 1}", "up", f"Cabang {r}-{h}")
        routers.append(router)
    print(" ".join(str(r.port) for r in routers), flush=True)
    states = {}
    while True:
        time.sleep(flip_every)
        for _ in range(5):
            router = random.choice(routers)
            entry = random.choice(router.netwatch)
            states[id(entry)] = "down" if states.get(id(entry), "up") == "up" else "up"
            router.set_status(entry["host"], states[id(entry)])


def cpu(args, tmp):
    from tests.peers.telegram import FakeTelegram

    telegram = FakeTelegram(TOKEN).start()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-routers", "20", "100", "5"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        ports = [int(p) for p in child.stdout.readline().split()]
        app = make_app(
            tmp,
            TELEGRAM_API_URL=telegram.base_url,
            NETMON_INTERVAL=5,
            TELEGRAM_CHAT_PER_SECOND=100,
            TELEGRAM_CHAT_BURST=100,
        )
        add_routers(app, ports)
        worker = start_worker(app)
        time.sleep(12)  # the first rounds learn the 2,000 hosts
        cpu_before, wall_before = time.process_time(), time.monotonic()
        time.sleep(args.cpu_seconds)
        used = (time.process_time() - cpu_before) / (time.monotonic() - wall_before)
        worker.stop()
        with app.app_context():
            from sqlalchemy import func, select

            from app.extensions import db
            from app.models import Event, Host

            hosts = db.session.scalar(select(func.count()).select_from(Host))
            flips = db.session.scalar(select(func.count()).select_from(Event).where(Event.jenis == "host"))
        print(
            f"CPU: {hosts} hosts on {len(ports)} routers every 5 s: {used * 100:.1f}% of one core "
            f"over {args.cpu_seconds} s ({flips} host changes seen, {len(telegram.sent)} alerts sent)"
        )
        return used
    finally:
        child.kill()
        telegram.stop()


def uptime(args, tmp):
    """Median seconds of the uptime table and of /monitor over 2,000 hosts' events."""
    from datetime import timedelta

    from sqlalchemy import insert

    from app import clock
    from app.database import run_in_transaction
    from app.extensions import db
    from app.models import Event, Host
    from app.netmon import bot, report, service

    app = make_app(tmp)
    add_routers(app, [8728 + n for n in range(20)])
    with app.app_context():
        now = clock.utcnow()
        start = now - timedelta(days=35)

        def fill():
            for n in range(2000):
                host = service.new_host(
                    1 + n % 20, "netwatch", f"10.{n // 250}.0.{n % 250 + 1}", 0, f"Cabang {n}", start
                )
                host.status = "down" if n % 50 == 0 else "up"
            db.session.flush()
            ids = db.session.scalars(db.select(Host.id_host).order_by(Host.id_host)).all()
            events = []
            for index, id_host in enumerate(ids):
                for k in range(10):
                    down = start + timedelta(days=3 * k + 1, minutes=index)
                    up = down + timedelta(minutes=7)
                    for old, new, at in (("up", "down", down), ("down", "up", up)):
                        events.append(
                            dict(
                                jenis="host",
                                id_host=id_host,
                                id_router=1 + index % 20,
                                status_lama=old,
                                status_baru=new,
                                waktu=at,
                                durasi=None,
                                sumber="poll",
                                dialertkan=True,
                                keterangan="",
                                dicatat=at,
                            )
                        )
            db.session.execute(insert(Event), events)

        run_in_transaction(fill)
        timings = {}
        for name, work in (("uptime page table", report.uptime_table), ("/monitor", lambda: bot.monitor([]))):
            runs = []
            for _ in range(5):
                began = time.perf_counter()
                work()
                runs.append(time.perf_counter() - began)
                db.session.rollback()
            timings[name] = statistics.median(runs)
            print(f"uptime, 2000 hosts / 40000 events: {name}: median {timings[name] * 1000:.0f} ms of 5")
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=40)
    parser.add_argument("--cpu-seconds", type=int, default=30)
    parser.add_argument("--serve-routers", nargs=3, type=float, help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["uptime"], help="run one part alone")
    args = parser.parse_args()
    if args.serve_routers:
        count, hosts_each, every = args.serve_routers
        serve_routers(int(count), int(hosts_each), every)
        return
    import logging

    logging.disable(logging.WARNING)
    print(f"machine: {os.cpu_count()} CPU, {cpu_model()}, Python {sys.version.split()[0]}")
    if args.only == "uptime":
        with tempfile.TemporaryDirectory() as tmp:
            uptime(args, Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        push = summary(
            "push (Netwatch script -> /netmon/hook), embedded worker",
            latency(args, Path(tmp) / "push", push=True),
        )
    with tempfile.TemporaryDirectory() as tmp:
        summary(
            "push, separate worker process (production layout)",
            latency(args, Path(tmp) / "push2", push=True, separate=True),
        )
    with tempfile.TemporaryDirectory() as tmp:
        polled = summary("polling (NETMON_INTERVAL=1)", latency(args, Path(tmp) / "poll", push=False))
    with tempfile.TemporaryDirectory() as tmp:
        used = cpu(args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        uptime(args, Path(tmp))
    ok = statistics.median(push) <= 200 and statistics.median(polled) <= 1000 and used <= 0.25
    print("targets (push p50 <= 200 ms, polling p50 <= 1 s, CPU <= 25%):", "met" if ok else "NOT met")


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
