"""Benchmark: complete survey responses sent by concurrent clients to Common Ground under gunicorn.

Prints responses/s, p50/p99 latency, and **lost** (acknowledged minus stored; must be 0), then the
same load against a bare Flask + SQLAlchemy single-row insert (bench/ceiling_app.py) as the
ceiling, our throughput as a share of it, and the first survey page's gzip size.

Bounded: a fixed number of requests per run and a time cap; traffic goes to 127.0.0.1 only.

    python bench/submit.py [--requests 2000] [--clients 8] [--workers 4]
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TIME_CAP_S = 120
#: Share of requests that replay an earlier submission id (a double tap or a retry).
REPLAY_SHARE = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, env: dict, workers: int, extra: tuple[str, ...] = (),
                   port: int | None = None) -> tuple[subprocess.Popen, int]:
    """gunicorn serving `target` on 127.0.0.1 (a free port unless given); `extra`: more options,
    such as the worker class."""
    port = port or free_port()
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(workers), *extra, "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         target],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                time.sleep(0.5)  # let every worker finish importing
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:]}")


def post(port: int, path: str, body: bytes) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    finally:
        conn.close()


def run_load(port: int, path: str, bodies: list[bytes], clients: int) -> dict:
    """Send every body once from `clients` threads; return latencies and acknowledged results."""
    lock = threading.Lock()
    queue = list(enumerate(bodies))
    latencies, acked, failures = [], {}, 0
    deadline = time.monotonic() + TIME_CAP_S

    def worker():
        nonlocal failures
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                index, body = queue.pop()
            try:
                status, data, elapsed = post(port, path, body)
            except OSError:
                with lock:
                    failures += 1
                continue
            with lock:
                latencies.append(elapsed)
                if status in (200, 201):
                    acked[index] = json.loads(data)
                else:
                    failures += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"wall": wall, "n": len(latencies), "rps": len(latencies) / wall, "failures": failures,
            "p50": latencies[len(latencies) // 2] * 1000, "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            "acked": acked}


def response_bodies(count: int) -> tuple[list[bytes], list[str]]:
    rng = random.Random(7)
    ids, bodies = [], []
    for i in range(count):
        if ids and rng.random() < REPLAY_SHARE:
            sid = rng.choice(ids)
        else:
            sid = uuid.UUID(int=rng.getrandbits(128)).hex
        ids.append(sid)
        answers = {
            "priorities": rng.sample(["housing", "transport", "safety", "jobs", "health", "youth"], 3),
            "biggest_change": "More buses in the evening and cheaper rent " * rng.randint(1, 4),
            "services_used": rng.sample(["clinic", "food_bank", "library", "community_centre"], 2),
            "safety_rating": rng.randint(1, 5), "years_here": rng.randint(0, 40), "recommend": rng.random() < 0.5,
            "age_band": rng.choice(["18_24", "25_44", "45_64", "65_plus"]), "gender": rng.choice(["woman", "man"]),
            "home_language": "english", "neighbourhood": rng.choice(["riverside", "eastfield"]),
            "ethnicity": "prefer_not", "disability": "no", "household_size": rng.randint(1, 6),
        }
        bodies.append(json.dumps({"submission_id": sid, "lang": "en", "answers": answers}).encode())
    return bodies, ids


def first_page_gzip_size(port: int) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/s/community-needs")
    html = conn.getresponse().read()
    conn.close()
    return len(html), len(gzip.compress(html, compresslevel=6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "INSTANCE_PATH": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
               "SECRET_KEY": "bench", "PYTHONPATH": str(REPO)}
        subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "setup"], cwd=REPO, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bodies, ids = response_bodies(args.requests)

        proc, port = start_gunicorn("wsgi:app", env, args.workers)
        try:
            raw, compressed = first_page_gzip_size(port)
            ours = run_load(port, "/api/v1/surveys/community-needs/responses", bodies, args.clients)
        finally:
            proc.terminate()
            proc.wait()
        with sqlite3.connect(f"{tmp}/bench.sqlite") as conn:
            stored = {row[0] for row in conn.execute("SELECT submission_id FROM responses")}
            stored_rows = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
        acked_ids = {ids[i] for i in ours["acked"]}
        lost = len(acked_ids - stored)
        doubled = stored_rows - len(stored)

        ceiling_env = {**env, "DATABASE_URL": f"sqlite:///{tmp}/ceiling.sqlite"}
        proc, port = start_gunicorn("bench.ceiling_app:app", ceiling_env, args.workers)
        try:
            ceiling = run_load(port, "/insert", bodies, args.clients)
        finally:
            proc.terminate()
            proc.wait()

    print(f"machine: {os.cpu_count()} cores; gunicorn {args.workers} sync workers; {args.clients} clients; "
          f"{args.requests} requests ({REPLAY_SHARE:.0%} replays of an earlier submission id); SQLite WAL, synchronous FULL")
    print(f"first survey page: {raw} bytes HTML+CSS, {compressed} bytes gzip (goal <= 14336)")
    for name, r in (("common ground: POST responses", ours), ("ceiling: bare Flask+SQLAlchemy insert", ceiling)):
        print(f"{name:40s} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
              f"errors {r['failures']}")
    print(f"acknowledged submissions {len(acked_ids)}, stored {len(stored)}, lost {lost}, stored twice {doubled}")
    print(f"throughput as share of ceiling: {ours['rps'] / ceiling['rps']:.0%} (goal >= 60%)")
    if lost or doubled:
        sys.exit(1)


if __name__ == "__main__":
    main()
