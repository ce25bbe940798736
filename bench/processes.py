"""Submissions through two app processes against one, on this machine: the same workload (bench/
load.py's, with replays and simultaneous duplicates) sent to one gunicorn with one sync worker,
then to two such servers (client thread i sends to server i mod 2, as a balancer would), the
pairs alternated and repeated so each ratio compares runs made side by side.

It prints acknowledged/s, the ratio two/one (goal >= 1.6), lost and duplicated, and where the
CPU went during each run: the whole machine's busy share of its cores, the load generator's own
CPU (this process), and the app processes' CPU. On a machine with as many cores as app processes
plus a client plus a database, the ratio says how the app scales; here it says what bounds it.

    python bench/processes.py [--n 3000] [--concurrency 32] [--repeat 2] [--databases sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import PATH, Server, check_stored, fresh_database, run_load, workload  # noqa: E402

GOAL_RATIO = 1.6
TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    fields = [float(v) / TICKS for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def one_run(kind: str, servers_n: int, args, tmp: str, pg_url: str | None) -> dict:
    from load import children
    bodies, ids = workload(args.n)
    url, env = fresh_database(kind, tmp, pg_url)
    log = Path(env["INSTANCE_PATH"]) / "gunicorn.log"
    servers = [Server("wsgi:app", env, 1, (), log) for _ in range(servers_n)]
    for server in servers:
        server.start()
    pids = [pid for s in servers for pid in (s.proc.pid, *children(s.proc.pid))]
    try:
        busy0, total0 = machine_busy()
        client0 = resource.getrusage(resource.RUSAGE_SELF)
        app0 = process_cpu(pids)
        result = run_load(servers[0], PATH, bodies, args.concurrency, ports=[s.port for s in servers])
        app_cpu = process_cpu(pids) - app0
        client1 = resource.getrusage(resource.RUSAGE_SELF)
        busy1, total1 = machine_busy()
    finally:
        for server in servers:
            server.stop()
    stored = check_stored(url, ids, result["acked"])
    wall = result["wall"]
    cores = os.cpu_count() or 1
    return {**result, **stored, "machine_busy": (busy1 - busy0) / (total1 - total0),
            "client_cores": (client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime) / wall,
            "app_cores": app_cpu / wall, "cores": cores}


def describe(label: str, r: dict) -> str:
    return (f"{label}: {r['rps']:6.1f} acked/s  p50 {r['p50']:5.0f} ms  p99 {r['p99']:5.0f} ms  5xx {r['5xx']}  "
            f"lost {r['lost']}  duplicated {r['duplicated']}  | CPU: machine {r['machine_busy']:.0%} of "
            f"{r['cores']} cores busy; load generator {r['client_cores']:.2f} cores, app processes "
            f"{r['app_cores']:.2f} cores, the rest (database, other work) "
            f"{r['machine_busy'] * r['cores'] - r['client_cores'] - r['app_cores']:.2f} cores")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="submissions per run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2, help="pairs of runs (one process, then two)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="which of sqlite,postgresql (PostgreSQL only with BENCH_DATABASE_URL)")
    args = parser.parse_args(argv)
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    pg_url = os.environ.get("BENCH_DATABASE_URL") if "postgresql" in args.databases else None
    kinds = [k for k in ("sqlite", "postgresql") if k in args.databases and (k == "sqlite" or pg_url)]
    out(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; {args.n} submissions "
        f"per run at concurrency {args.concurrency}; one app process = gunicorn sync -w 1")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            ratios = []
            for pair in range(1, args.repeat + 1):
                one = one_run(kind, 1, args, tmp, pg_url)
                out(f"[{kind}] pair {pair} " + describe("1 process  ", one))
                two = one_run(kind, 2, args, tmp, pg_url)
                out(f"[{kind}] pair {pair} " + describe("2 processes", two))
                ratios.append(two["rps"] / one["rps"])
                out(f"[{kind}] pair {pair}: 2 processes / 1 process = {ratios[-1]:.2f}x "
                    f"(load average now {os.getloadavg()[0]:.1f})")
                bad += one["lost"] + one["duplicated"] + two["lost"] + two["duplicated"]
            verdict = "met" if statistics.median(ratios) >= GOAL_RATIO else "not met"
            out(f"[{kind}] ratio 2/1: median {statistics.median(ratios):.2f}x of {len(ratios)} pairs "
                f"({', '.join(f'{r:.2f}' for r in ratios)}); goal >= {GOAL_RATIO}x: {verdict}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
