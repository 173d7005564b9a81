"""Benchmark: Fonnte webhook throughput and the time from webhook to reply.

Starts the app the way production runs it -- gunicorn with 2 workers plus one
`flask worker` process -- against a loopback Fonnte send API, sends N `#request`
webhooks at concurrency C from a separate process, waits until every reply reached the
fake Fonnte, and prints:

    backend: sqlite | requests: 2000 | concurrency: 16
    webhook: 812.3 req/s, p50 12.1 ms, p99 48.0 ms
    webhook-to-send: p50 180 ms, p99 420 ms
    exactly once: OK (2000 reports, 2000 unique tracking numbers, 2000 replies)
    targets: req/s>=300 OK, p99<=100ms OK, send p50<=500ms OK

Run from the project root:

    .venv/bin/python scripts/bench_webhook.py --requests 2000 --concurrency 16
    .venv/bin/python scripts/bench_webhook.py --requests 2000 --concurrency 16 \\
        --database mysql+pymysql://root@127.0.0.1:3306/sarpras_bench

The app's own settings pass through from the environment, so other tunings can be tried
without editing anything, e.g. OUTBOX_SEND_THREADS=1 or
GUNICORN_CMD_ARGS="--worker-class=gthread --threads=4". --keep leaves the logs of
gunicorn and the worker (and the SQLite file) in the temporary directory.

SQLite runs on a fresh file in a temporary directory. A MariaDB/MySQL database is created
when missing and all its tables are dropped first, so never point it at real data.

The figures are for people to read: the exit code is 0 unless the benchmark itself broke.
"""

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_common import app_database_url, percentile, prepare_mysql  # noqa: E402
from tests.peers.fonnte import FakeFonnte  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
FONNTE_TOKEN = "fonnte-token"
DEVICE = "6281100000000"
WARMUP = 20
SENDERS = 300
REQUEST_SENDER_BASE = 6281200000000
WARMUP_SENDER_BASE = 6281300000000
TRACKING = re.compile(r"Dengan Nomor Tracking Anda: \*([A-Z]+\d+)\*")

TARGET_RPS = 300
TARGET_P99_MS = 100
TARGET_SEND_P50_MS = 500


# --- what is sent ------------------------------------------------------------------


def request_text(index):
    return f"bench {index:06d}: lampu ruang rapat mati"


def webhook_body(kind, index):
    """Fonnte's webhook body. inboxid is unique, so no delivery is taken for a repeat."""
    if kind == "warmup":
        sender, message, inboxid = WARMUP_SENDER_BASE + index, "#help", 900_000_000 + index
    else:
        sender, message, inboxid = (
            REQUEST_SENDER_BASE + index % SENDERS,
            f"#request {request_text(index)}",
            index + 1,
        )
    return {
        "device": DEVICE,
        "sender": str(sender),
        "message": message,
        "name": f"Bench {index % SENDERS}",
        "member": "",
        "inboxid": inboxid,
        "timestamp": int(time.time()),
    }


# --- load generator (runs in its own process) ---------------------------------------


@dataclass(frozen=True)
class Sent:
    index: int
    started: float  # time.time(), comparable with FakeFonnte's `at`
    latency: float  # seconds
    status: int  # 0: no HTTP answer
    id_track: str


def post_once(host, port, kind, index):
    body = json.dumps(webhook_body(kind, index)).encode()
    started = time.time()
    t0 = time.perf_counter()
    # http.client rather than requests: the client shares two cores with the server, and
    # gunicorn's sync workers close every connection anyway, so a session saves nothing.
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("POST", "/webhook/fonnte", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        status = response.status
    except OSError:
        payload, status = b"", 0
    finally:
        conn.close()
    latency = time.perf_counter() - t0
    try:
        id_track = json.loads(payload).get("id_track") or ""
    except ValueError:
        id_track = ""
    return Sent(index, started, latency, status, id_track)


def run_load(host, port, kind, count, concurrency):
    """Send `count` webhooks from `concurrency` threads; return (sent, wall seconds)."""
    todo = queue.SimpleQueue()
    for index in range(count):
        todo.put(index)
    results = []
    gate = threading.Barrier(concurrency + 1)

    def client():
        gate.wait()
        mine = []
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                break
            mine.append(post_once(host, port, kind, index))
        results.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    gate.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return sorted(results, key=lambda s: s.index), time.perf_counter() - t0


# --- database -------------------------------------------------------------------------


def backend_label(url):
    """'sqlite', or the server's own name and version: MariaDB and MySQL differ here."""
    if make_url(url).get_backend_name() == "sqlite":
        return "sqlite"
    engine = create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT VERSION()")).scalar()
    engine.dispose()
    name = "mariadb" if "mariadb" in version.lower() else "mysql"
    return f"{name} {version.split('-')[0]}"


@dataclass
class Stored:
    report_tracks: dict  # complaint text -> list of id_track
    reports: int
    unique_tracks: int
    outbox: Counter  # status -> rows


def read_database(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT pesan, id_track FROM tb_monitoring")).all()
        outbox = Counter(
            dict(conn.execute(text("SELECT status, COUNT(*) FROM tb_outbox GROUP BY status")).all())
        )
    engine.dispose()
    report_tracks = {}
    for pesan, id_track in rows:
        report_tracks.setdefault(pesan, []).append(id_track)
    unique = len({id_track for _, id_track in rows})
    return Stored(report_tracks, len(rows), unique, outbox)


def pending_outbox(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        left = conn.execute(
            text("SELECT COUNT(*) FROM tb_outbox WHERE status IN ('antri', 'kirim')")
        ).scalar()
    engine.dispose()
    return left


# --- the app's processes ------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url, instance_dir, fonnte_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance_dir),
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=FONNTE_TOKEN,
        FONNTE_API_URL=fonnte_url,
        EMBEDDED_WORKER="off",
        SECRET_KEY="bench",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_cli(env, *args):
    # Output only matters when the command fails; alembic's INFO lines would bury the result.
    done = subprocess.run(
        [PYTHON, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


class Processes:
    """The long-running processes; stop() ends them whatever happened before."""

    def __init__(self, log_dir):
        self.log_dir = Path(log_dir)
        self.running = []

    def start(self, name, args, env):
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115  (closed in stop())
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.running.append((name, process, log))
        return process

    def check_alive(self):
        for name, process, _ in self.running:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name, lines=30):
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self):
        for _, process, _ in self.running:
            if process.poll() is None:
                process.terminate()
        for _, process, log in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def wait_healthy(port, processes, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer 200 within {timeout} s:\n{processes.tail('gunicorn')}")


def start_app(env, port, processes):
    processes.start(
        "gunicorn", [PYTHON, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"], env
    )
    processes.start("worker", [PYTHON, "-m", "flask", "--app", "wsgi", "worker"], env)
    wait_healthy(port, processes)


def start_fonnte():
    fonnte = FakeFonnte(token=FONNTE_TOKEN)
    # The fake writes its response headers and body in two send() calls on a kept-alive
    # connection; with Nagle on, the body waits for the worker's delayed ACK (~40 ms), so
    # every send would take 40 ms and the benchmark would measure the fake, not the app.
    fonnte.server.RequestHandlerClass.disable_nagle_algorithm = True
    return fonnte.start()


# --- waiting and judging ------------------------------------------------------------


def wait_for_replies(fonnte, url, expected, processes, timeout):
    """All replies that arrived once `expected` did and the queue is empty, or at timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        received = fonnte.wait_for(expected, timeout=min(1.0, max(deadline - time.monotonic(), 0)))
        # A duplicate send would arrive after the count is reached; an empty queue
        # means none is still on its way.
        if len(received) >= expected and pending_outbox(url) == 0:
            return list(fonnte.received)
    return list(fonnte.received)


@dataclass
class Verdict:
    ok: bool
    summary: str
    send_delays: list  # seconds, one per matched reply


def judge(sent, received, stored, requests_count):
    """Exactly once: one report, one tracking number and one reply for every request."""
    problems = []
    failed = [s for s in sent if s.status != 200]
    if failed:
        problems.append(
            f"{len(failed)} webhooks not 200 (e.g. {Counter(s.status for s in failed).most_common(3)})"
        )

    track_to_request = {}
    missing = doubled = 0
    for s in sent:
        tracks = stored.report_tracks.get(request_text(s.index), [])
        if not tracks:
            missing += 1
            continue
        if len(tracks) > 1:
            doubled += 1
        track_to_request[tracks[0]] = s
        if s.id_track and s.id_track != tracks[0]:
            problems.append(f"request {s.index}: webhook said {s.id_track}, database has {tracks[0]}")
    if missing:
        problems.append(f"{missing} requests without a report")
    if doubled:
        problems.append(f"{doubled} requests with more than one report")
    if stored.reports != requests_count:
        problems.append(f"{stored.reports} reports in tb_monitoring")
    if stored.unique_tracks != stored.reports:
        problems.append(f"{stored.reports - stored.unique_tracks} repeated tracking numbers")

    replies = Counter()
    send_delays = []
    warmup_targets = {str(WARMUP_SENDER_BASE + i) for i in range(WARMUP)}
    warmup_replies = wrong_target = unexpected = 0
    for message in received:
        if message["target"] in warmup_targets:
            warmup_replies += 1
            continue
        match = TRACKING.search(message.get("message", ""))
        if not match:
            unexpected += 1
            continue
        id_track = match.group(1)
        replies[id_track] += 1
        request = track_to_request.get(id_track)
        if request is None:
            continue
        if message["target"] != str(REQUEST_SENDER_BASE + request.index % SENDERS):
            wrong_target += 1
        if replies[id_track] == 1:
            send_delays.append(message["at"] - request.started)
    no_reply = sum(1 for id_track in track_to_request if replies[id_track] == 0)
    repeated = sum(1 for count in replies.values() if count > 1)
    unknown = sum(1 for id_track in replies if id_track not in track_to_request)
    if no_reply:
        problems.append(f"{no_reply} reports without a reply")
    if repeated:
        problems.append(f"{repeated} tracking numbers replied more than once")
    if unknown:
        problems.append(f"{unknown} replies for unknown tracking numbers")
    if wrong_target:
        problems.append(f"{wrong_target} replies to the wrong number")
    if unexpected:
        problems.append(f"{unexpected} messages that are no reply to a request")
    if warmup_replies != WARMUP:
        problems.append(f"{warmup_replies} warm-up replies, expected {WARMUP}")
    expected_sent = requests_count + WARMUP
    if stored.outbox.get("terkirim", 0) != expected_sent or sum(stored.outbox.values()) != expected_sent:
        problems.append(f"tb_outbox {dict(stored.outbox)}, expected {expected_sent} terkirim")

    replied = sum(replies.values())
    if problems:
        return Verdict(False, "FAIL: " + "; ".join(problems), send_delays)
    return Verdict(
        True,
        f"OK ({stored.reports} reports, {stored.unique_tracks} unique tracking numbers, {replied} replies)",
        send_delays,
    )


def report(backend, args, sent, wall, verdict):
    latencies = [s.latency * 1000 for s in sent]
    delays = [d * 1000 for d in verdict.send_delays]
    rps = len(sent) / wall if wall else 0.0
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    send_p50, send_p99 = percentile(delays, 0.50), percentile(delays, 0.99)

    def mark(good):
        return "OK" if good else "MISSED"

    print(f"backend: {backend} | requests: {args.requests} | concurrency: {args.concurrency}")
    print(f"webhook: {rps:.1f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"webhook-to-send: p50 {send_p50:.0f} ms, p99 {send_p99:.0f} ms")
    print(f"exactly once: {verdict.summary}")
    print(
        f"targets: req/s>={TARGET_RPS} {mark(rps >= TARGET_RPS)}, "
        f"p99<={TARGET_P99_MS}ms {mark(p99 <= TARGET_P99_MS)}, "
        f"send p50<={TARGET_SEND_P50_MS}ms {mark(send_p50 <= TARGET_SEND_P50_MS)}"
    )


# --- main ---------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="counted webhooks (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="clients at once (default 16)")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--port", type=int, help="gunicorn's port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for replies")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    return parser.parse_args(argv)


def bench(args, workdir):
    database = args.database or f"sqlite:///{workdir / 'bench.db'}"
    if make_url(database).get_backend_name() != "sqlite":
        prepare_mysql(app_database_url(database))
    check_url = app_database_url(database)
    port = args.port or free_port()

    fonnte = start_fonnte()
    processes = Processes(workdir)
    # spawn, not fork: this process runs FakeFonnte's threads, which a fork would copy
    # in whatever state they are.
    loader = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    try:
        env = app_environment(database, workdir / "instance", fonnte.url)
        run_cli(env, "init-db")
        run_cli(env, "seed-demo")
        start_app(env, port, processes)

        warm, _ = loader.submit(
            run_load, "127.0.0.1", port, "warmup", WARMUP, min(args.concurrency, WARMUP)
        ).result()
        if any(s.status != 200 for s in warm) or len(fonnte.wait_for(WARMUP, timeout=30)) < WARMUP:
            raise RuntimeError(f"warm-up failed:\n{processes.tail('gunicorn')}\n{processes.tail('worker')}")

        sent, wall = loader.submit(
            run_load, "127.0.0.1", port, "request", args.requests, args.concurrency
        ).result()
        # A webhook that failed rolled back its reply too: wait only for the promised ones.
        promised = sum(1 for s in sent if s.status == 200) + WARMUP
        received = wait_for_replies(fonnte, check_url, promised, processes, args.timeout)
        verdict = judge(sent, received, read_database(check_url), args.requests)
        report(backend_label(check_url), args, sent, wall, verdict)
    finally:
        loader.shutdown()
        processes.stop()
        fonnte.stop()


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-webhook-"))
    try:
        bench(args, workdir)
    finally:
        if args.keep:
            sys.stdout.flush()
            print(f"logs and data kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
