"""Benchmark: OpenRosa submissions (as ODK Collect sends them) beside the JSON API, in one run.

The same answers go to one Common Ground under gunicorn twice: as JSON to the API, and as XForm
instances to the OpenRosa endpoint (HEAD …/submission, then a multipart POST, per instance, as
Collect sends). In each, 10% of the sends repeat an earlier submission (a resend after a lost
acknowledgement). Prints submissions/s, p50/p99 latency, and **lost** (acknowledged minus
stored; must be 0) and stored twice (must be 0) for each.

Bounded: a fixed number of sends per run and a time cap; traffic goes to 127.0.0.1 only.

    python bench/openrosa.py [--requests 1000] [--clients 8] [--workers 4]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.submit import REPLAY_SHARE, TIME_CAP_S, VENV_BIN, start_gunicorn  # noqa: E402
from tests.app.openrosa.collect import Collect  # noqa: E402  (fills an XForm's instance as Collect does)

BOUNDARY = "----commonground-bench"


def workload(count: int, seed: int = 11) -> tuple[list[dict], list[str]]:
    """`count` sends as (answers, submission id); about REPLAY_SHARE of them repeat an earlier id
    with its answers (a resend)."""
    rng = random.Random(seed)
    sends, ids, first = [], [], {}
    for _ in range(count):
        if ids and rng.random() < REPLAY_SHARE:
            sid = rng.choice(ids)
            answers = first[sid]
        else:
            sid = str(uuid.UUID(int=rng.getrandbits(128)))
            answers = {
                "priorities": rng.sample(["housing", "transport", "safety", "jobs", "health", "youth"], 6),
                "biggest_change": "More buses in the evening and cheaper rent " * rng.randint(1, 4),
                "services_used": rng.sample(["clinic", "food_bank", "library", "community_centre"], 2),
                "safety_rating": rng.randint(3, 5), "years_here": rng.randint(1, 40),
                "recommend": rng.random() < 0.5, "age_band": rng.choice(["18_24", "25_44", "45_64", "65_plus"]),
                "gender": rng.choice(["woman", "man"]), "household_size": rng.randint(1, 6),
            }
            first[sid] = answers
        ids.append(sid)
        sends.append(answers)
    return sends, ids


def json_bodies(sends: list[dict], ids: list[str]) -> list[tuple[str, bytes, dict]]:
    path = "/api/v1/surveys/community-needs/responses"
    return [(path, json.dumps({"submission_id": sid, "lang": "en",
                               "answers": {**answers, "priorities": answers["priorities"][:3]}}).encode(),
             {"Content-Type": "application/json"}) for answers, sid in zip(sends, ids)]


def openrosa_bodies(xform: bytes, base: str, sends: list[dict], ids: list[str]) -> list[tuple[str, bytes, dict]]:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "X-OpenRosa-Version": "1.0"}
    bodies = []
    for answers, sid in zip(sends, ids):
        instance = Collect.fill(xform, answers, f"uuid:{sid}")
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
                f"filename=\"instance.xml\"\r\nContent-Type: text/xml\r\n\r\n").encode() + instance + \
            f"\r\n--{BOUNDARY}--\r\n".encode()
        bodies.append((f"{base}/submission", body, headers))
    return bodies


def _request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
             timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def warm_up(port: int, sends: list[tuple[str, bytes, dict]], clients: int) -> None:
    """Send a few submissions of each channel first (not counted), so neither pays for start-up:
    the workers' first requests, and the first tagging of free text after a commit."""
    run(port, sends, clients, probe=False)


def run(port: int, sends: list[tuple[str, bytes, dict]], clients: int, *, probe: bool) -> dict:
    """Send every body from `clients` threads (with `probe`, a HEAD first, as Collect does)."""
    lock = threading.Lock()
    queue = list(enumerate(sends))
    latencies, acked, failures = [], set(), 0
    deadline = time.monotonic() + TIME_CAP_S

    def worker():
        nonlocal failures
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                index, (path, body, headers) = queue.pop()
            started = time.perf_counter()
            try:
                if probe:
                    _request(port, "HEAD", path, headers={"X-OpenRosa-Version": "1.0"})
                status, _data = _request(port, "POST", path, body, headers)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status in (200, 201):
                    acked.add(index)
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
    return {"rps": len(latencies) / wall, "failures": failures, "acked": acked,
            "p50": latencies[len(latencies) // 2] * 1000, "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "INSTANCE_PATH": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
               "SECRET_KEY": "bench", "PYTHONPATH": str(REPO)}
        flask = [str(VENV_BIN / "flask"), "--app", "wsgi"]
        subprocess.run([*flask, "setup"], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        made = subprocess.run([*flask, "tokens", "create-device", "bench", "--survey", "community-needs"],
                              cwd=REPO, env=env, check=True, capture_output=True, text=True)
        base = "/" + made.stdout.strip().splitlines()[-1].split("://", 1)[1].split("/", 1)[1]
        json_sends, json_ids = workload(args.requests, seed=11)
        odk_sends, odk_ids = workload(args.requests, seed=12)

        proc, port = start_gunicorn("wsgi:app", env, args.workers)
        try:
            started = time.perf_counter()  # the first request also waits for the workers to boot
            status, xform = _request(port, "GET", f"{base}/forms/community-needs.xml", timeout=TIME_CAP_S)
            print(f"form download (first request): {time.perf_counter() - started:.1f} s")
            warm_sends, warm_ids = workload(4 * args.workers, seed=13)
            warm_up(port, json_bodies(warm_sends, [f"warm-{i}" for i in warm_ids])
                    + openrosa_bodies(xform, base, warm_sends, [f"{i[:-4]}beef" for i in warm_ids]), args.clients)
            assert status == 200, xform[:500]
            results = {
                "JSON API: POST responses": (run(port, json_bodies(json_sends, json_ids), args.clients, probe=False),
                                             json_ids, "api"),
                "OpenRosa: HEAD + POST submission": (
                    run(port, openrosa_bodies(xform, base, odk_sends, odk_ids), args.clients, probe=True),
                    odk_ids, "odk"),
            }
        finally:
            proc.terminate()
            proc.wait()
        with sqlite3.connect(f"{tmp}/bench.sqlite") as conn:
            stored = {channel: {row[0] for row in conn.execute(
                "SELECT submission_id FROM responses WHERE channel = ? AND submission_id IN (%s)"
                % ",".join("?" * len(set(ids))), (channel, *set(ids)))}
                for channel, ids in (("api", json_ids), ("odk", odk_ids))}
            rows = {channel: conn.execute(
                "SELECT count(*) FROM responses WHERE channel = ? AND submission_id IN (%s)"
                % ",".join("?" * len(set(ids))), (channel, *set(ids))).fetchone()[0]
                for channel, ids in (("api", json_ids), ("odk", odk_ids))}

    print(f"machine: {os.cpu_count()} cores; gunicorn {args.workers} sync workers; {args.clients} clients; "
          f"{args.requests} sends each ({REPLAY_SHARE:.0%} resends of an earlier submission); SQLite WAL, synchronous FULL")
    bad = 0
    for name, (result, ids, channel) in results.items():
        acked_ids = {ids[i] for i in result["acked"]}
        lost = len(acked_ids - stored[channel])
        doubled = rows.get(channel, 0) - len(stored[channel])
        bad += lost + doubled + result["failures"]
        print(f"{name:34s} {result['rps']:7.1f} submissions/s  p50 {result['p50']:6.1f} ms  "
              f"p99 {result['p99']:6.1f} ms  errors {result['failures']}  acknowledged {len(acked_ids)}  "
              f"stored {len(stored[channel])}  lost {lost}  stored twice {doubled}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
