"""Load and crash runs: survey submissions at concurrency 150 through gunicorn, with replays and
concurrent duplicates of the same submission id, then a kill -9 of the master and every worker in
the middle of a run, a restart, and a check that every acknowledged submission is stored once.

For each worker setting (sync -w 2, sync -w 4, gthread -w 2 --threads 4) it prints lost,
duplicated, 5xx, p50/p99 latency and throughput, the same load against the bare-insert ceiling
(bench/ceiling_app.py, as bench/submit.py uses), our throughput as a share of it, and which
settings keep p99 under 1 s. SQLite always; PostgreSQL too when BENCH_DATABASE_URL names a
database whose tables may be dropped. Bounded: a fixed number of requests and a time cap per
run; traffic goes to 127.0.0.1 only. The client is plain threads with http.client.

    python bench/load.py [--n 20000] [--concurrency 150] [--settings sync2,sync4,gthread2x4]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from submit import VENV_BIN, free_port, response_bodies  # noqa: E402

SETTINGS = {
    "sync2": ("sync -w 2", 2, ()),
    "sync4": ("sync -w 4", 4, ()),
    "gthread2x4": ("gthread -w 2 --threads 4", 2, ("-k", "gthread", "--threads", "4")),
    "sync3": ("sync -w 3", 3, ()),
    "sync6": ("sync -w 6", 6, ()),
    "gthread4x2": ("gthread -w 4 --threads 2", 4, ("-k", "gthread", "--threads", "2")),
    "gthread4x4": ("gthread -w 4 --threads 4", 4, ("-k", "gthread", "--threads", "4")),
}
#: The settings run unless --settings says otherwise (the others are there to try).
DEFAULT_SETTINGS = "sync2,sync4,gthread2x4"
#: Share of submissions sent twice at the same moment (a double tap), on top of submit.py's 10% replays.
TWIN_SHARE = 0.05
#: Seconds any one run may take, whatever --n says.
TIME_CAP_S = 600
#: Seconds gunicorn may take to start (importing the app in every worker; minutes on a busy machine).
START_CAP_S = 240
P99_GOAL_MS = 1000
PATH = "/api/v1/surveys/community-needs/responses"


def workload(n: int) -> tuple[list[bytes], list[str]]:
    """n request bodies: submit.py's (10% replay an earlier submission id), and about 5% of them
    repeated right behind themselves, so two clients send the same submission at once."""
    bodies, ids = response_bodies(n)
    rng = random.Random(3)
    out_bodies, out_ids = [], []
    for body, sid in zip(bodies, ids):
        out_bodies.append(body)
        out_ids.append(sid)
        if rng.random() < TWIN_SHARE and len(out_bodies) < n:
            out_bodies.append(body)
            out_ids.append(sid)
    return out_bodies[:n], out_ids[:n]


class Server:
    """gunicorn on a fixed loopback port, restartable after a kill -9."""

    def __init__(self, target: str, env: dict, workers: int, extra: tuple[str, ...], log: Path):
        self.target, self.env, self.workers, self.extra, self.log = target, env, workers, extra, log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self._close_log()
        self.log_file = open(self.log, "a")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(self.workers), *self.extra, "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", self.target],
            cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log_file)
        deadline = time.monotonic() + START_CAP_S
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/surveys" if self.target == "wsgi:app" else "/nothing")
                conn.getresponse().read()
                conn.close()
                time.sleep(0.3)  # the other workers finish importing
                return
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill9(self) -> int:
        """SIGKILL to the master and every worker at once; returns how many processes were killed."""
        pids = [self.proc.pid, *children(self.proc.pid)]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        for pid in pids[1:]:  # orphaned workers are reaped by init; wait until they are gone
            while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
                time.sleep(0.05)
        return len(pids)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self._close_log()

    def _close_log(self) -> None:
        if getattr(self, "log_file", None) is not None:
            self.log_file.close()
            self.log_file = None


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def post(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run_load(server: Server, path: str, bodies: list[bytes], concurrency: int, kill_at: int | None = None,
             ports: list[int] | None = None) -> dict:
    """Send every body from `concurrency` threads. A request that fails to connect or gets a 5xx
    is sent again (as a resident's phone would) until acknowledged or the time cap. With
    `kill_at`, the server is killed -9 once that many are acknowledged, and restarted. With
    `ports`, client thread i sends to ports[i % len(ports)] (several app servers, no balancer)."""
    lock = threading.Lock()
    queue = list(enumerate(bodies))
    queue.reverse()
    latencies: list[float] = []
    acked: dict[int, int] = {}
    counts = {"5xx": 0, "4xx": 0, "connection_errors": 0}
    deadline = time.monotonic() + TIME_CAP_S
    restarted = threading.Event()
    killed = {"processes": 0, "acked_before": 0}

    def crash_and_restart():
        killed["acked_before"] = len(acked)
        killed["processes"] = server.kill9()
        server.start()
        restarted.set()

    def worker(port_of=lambda: server.port):
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                index, body = queue.pop()
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    status, data = post(port_of(), path, body)
                except OSError:
                    with lock:
                        counts["connection_errors"] += 1
                    time.sleep(0.2)
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if status >= 500:
                        counts["5xx"] += 1
                    elif status >= 400:
                        counts["4xx"] += 1
                    else:
                        acked[index] = json.loads(data)["id"]
                        if kill_at is not None and len(acked) == kill_at:
                            threading.Thread(target=crash_and_restart).start()
                if status < 500:
                    break
                time.sleep(0.2)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(lambda i=i: ports[i % len(ports)],) if ports else ())
               for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if kill_at is not None:
        restarted.wait(90)
    wall = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000 if latencies else float("nan")  # noqa: E731
    return {"wall": wall, "requests": len(latencies), "rps": len(acked) / wall, "p50": pick(0.50), "p99": pick(0.99),
            "acked": acked, "unsent": len(queue), **counts, **killed}


def check_stored(url: str, ids: list[str], acked: dict[int, int]) -> dict:
    """lost: acknowledged submission ids not stored (or stored under another id);
    duplicated: submission ids stored more than once, or acknowledged with two different ids."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT submission_id, id FROM responses")).all())
        rows = conn.execute(sa.text("SELECT count(*) FROM responses")).scalar_one()
    engine.dispose()
    by_sid: dict[str, set[int]] = {}
    for index, rid in acked.items():
        by_sid.setdefault(ids[index], set()).add(rid)
    lost = sum(1 for sid, rids in by_sid.items() if stored.get(sid) not in rids)
    twice = sum(1 for rids in by_sid.values() if len(rids) > 1) + (rows - len(stored))
    return {"acknowledged": len(by_sid), "stored": len(stored), "lost": lost, "duplicated": twice}


def fresh_database(kind: str, tmp: str, pg_url: str | None) -> tuple[str, dict]:
    """(url, env) of an empty, set-up database for one run."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(dir=tmp)
        url = f"sqlite:///{folder}/bench.sqlite"
    else:
        url, folder = pg_url, tempfile.mkdtemp(dir=tmp)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    env = {**os.environ, "INSTANCE_PATH": folder, "DATABASE_URL": url, "SECRET_KEY": "bench",
           "PYTHONPATH": str(REPO)}
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "setup"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return url, env


def one_setting(kind: str, setting: str, args, tmp: str, pg_url: str | None, out) -> dict:
    label, workers, extra = SETTINGS[setting]
    bodies, ids = workload(args.n)
    url, env = fresh_database(kind, tmp, pg_url)
    log = Path(env["INSTANCE_PATH"]) / "gunicorn.log"
    server = Server("wsgi:app", env, workers, extra, log)
    server.start()
    try:
        ours = run_load(server, PATH, bodies, args.concurrency)
    finally:
        server.stop()
    stored = check_stored(url, ids, ours["acked"])
    if args.log_dir:  # the server's log (app errors behind any 5xx) outlives the run's folder
        args.log_dir.mkdir(parents=True, exist_ok=True)
        (args.log_dir / f"{kind}-{setting}.log").write_text(log.read_text() if log.exists() else "")
    ceiling = {"rps": float("nan"), "p99": float("nan")}
    if not args.no_ceiling:
        ceiling_server = Server("bench.ceiling_app:app", env, workers, extra, log)
        ceiling_server.start()
        try:
            ceiling = run_load(ceiling_server, "/insert", bodies, args.concurrency)
        finally:
            ceiling_server.stop()
    result = {**ours, **stored, "ceiling_rps": ceiling["rps"], "ceiling_p99": ceiling["p99"]}
    out(f"[{kind}] {label:26s} {result['requests']:6d} requests  {result['rps']:6.1f} acked/s  "
        f"p50 {result['p50']:6.0f} ms  p99 {result['p99']:6.0f} ms  5xx {result['5xx']}  "
        f"connection errors {result['connection_errors']}  lost {result['lost']}  duplicated {result['duplicated']}  "
        f"(acknowledged {result['acknowledged']}, stored {result['stored']})  "
        f"ceiling {ceiling['rps']:6.1f}/s p99 {ceiling['p99']:5.0f} ms  share of ceiling {result['rps'] / ceiling['rps']:.0%}")
    return result


def crash_run(kind: str, setting: str, args, tmp: str, pg_url: str | None, out) -> dict:
    label, workers, extra = SETTINGS[setting]
    bodies, ids = workload(args.n)
    url, env = fresh_database(kind, tmp, pg_url)
    server = Server("wsgi:app", env, workers, extra, Path(env["INSTANCE_PATH"]) / "gunicorn.log")
    server.start()
    try:
        result = run_load(server, PATH, bodies, args.concurrency, kill_at=len(set(ids)) // 2)
    finally:
        server.stop()
    stored = check_stored(url, ids, result["acked"])
    out(f"[{kind}] kill -9 of {result['processes']} processes ({label}) after {result['acked_before']} "
        f"acknowledged; restarted; {result['requests']} requests, 5xx {result['5xx']}, connection errors "
        f"{result['connection_errors']} (retried); acknowledged {stored['acknowledged']}, stored {stored['stored']}, "
        f"lost {stored['lost']}, duplicated {stored['duplicated']}")
    return {**result, **stored}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="submissions per run")
    parser.add_argument("--concurrency", type=int, default=150)
    parser.add_argument("--settings", default=DEFAULT_SETTINGS, help="comma-separated: " + ", ".join(SETTINGS))
    parser.add_argument("--crash-setting", default="sync4", help="the setting of the kill -9 run")
    parser.add_argument("--no-crash", action="store_true")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the bare-insert ceiling runs")
    parser.add_argument("--log-dir", type=Path, help="keep each run's gunicorn log here (<database>-<setting>.log)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="which of sqlite,postgresql (PostgreSQL only with BENCH_DATABASE_URL)")
    args = parser.parse_args(argv)
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    pg_url = os.environ.get("BENCH_DATABASE_URL") if "postgresql" in args.databases else None
    kinds = [k for k in ("sqlite", "postgresql") if k in args.databases and (k == "sqlite" or pg_url)]
    out(f"machine: {os.cpu_count()} cores; {args.n} submissions per run at concurrency {args.concurrency} "
        f"(10% replays of an earlier submission id, ~{TWIN_SHARE:.0%} sent twice at once)")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            results = {s: one_setting(kind, s, args, tmp, pg_url, out) for s in args.settings.split(",")}
            under = [SETTINGS[s][0] for s, r in results.items() if r["p99"] < P99_GOAL_MS and not r["5xx"]]
            fastest = max(results, key=lambda s: results[s]["rps"])
            out(f"[{kind}] p99 under {P99_GOAL_MS} ms with no 5xx: {', '.join(under) or 'none'}; "
                f"highest throughput: {SETTINGS[fastest][0]}")
            bad += sum(r["lost"] + r["duplicated"] + r["5xx"] for r in results.values())
            if not args.no_crash:
                crash = crash_run(kind, args.crash_setting, args, tmp, pg_url, out)
                bad += crash["lost"] + crash["duplicated"]
        if "postgresql" in args.databases and not pg_url:
            out("[postgresql] skipped: set BENCH_DATABASE_URL to a database whose tables may be dropped")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
