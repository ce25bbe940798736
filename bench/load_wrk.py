"""bench/load.py's load run with wrk, a load generator written in C, as the client.

load.py's client is 150 Python threads on the same 2 cores as the server: they take CPU from
gunicorn and queue for the GIL, and that wait is counted in every latency. wrk sends the same
bodies (load.workload: new submissions and 10% replays of earlier ids, in order) from 2 threads
and 150 connections, records every latency, and writes each acknowledged submission id and
response id to a file; the run then checks the database as load.py does (lost, duplicated).
Unlike load.py it does not resend after a 5xx (such a submission was never acknowledged), nor
send the same id from two clients at the same moment; a connection that is still waiting when
its thread has sent its share sends one more copy of its last body (a replay).

For each setting it prints lost, duplicated, 5xx, p50/p90/p99 and throughput, on SQLite and, when
BENCH_DATABASE_URL names a PostgreSQL database whose tables may be dropped, on PostgreSQL.

    python bench/load_wrk.py [--n 10000] [--concurrency 150] [--settings sync3,sync4,gthread2x4]

Needs wrk on the PATH (Debian: apt-get install wrk).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from load import P99_GOAL_MS, PATH, SETTINGS, TIME_CAP_S, Server, check_stored, fresh_database, workload  # noqa: E402

THREADS = 2
#: Requests sent one by one before the measured run, so every worker has imported the app.
WARM_UP = 40
#: wrk's script: each thread sends its share of the bodies (every THREADS-th line of the file),
#: writes "submission_id response_id" of each 2xx to its own file, and stops once it has every
#: answer it waited for, leaving a marker file: wrk itself runs for its whole -d, so the caller
#: interrupts it (SIGINT, after which wrk prints its figures) once every thread has left one.
SCRIPT = r"""
local threads, tid_next = {}, 0
function setup(thread)
  tid_next = tid_next + 1
  thread:set("tid", tid_next)
  table.insert(threads, thread)
end
function init(args)
  local n_threads, index = tonumber(args[2]), 0
  mine, sent, answered, failed = {}, 0, 0, 0
  for line in io.lines(args[1]) do
    if index % n_threads == tid - 1 then table.insert(mine, line) end
    index = index + 1
  end
  prefix = args[3]
  acks = io.open(prefix .. "-" .. tid, "w")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  sent = sent + 1
  return wrk.format(nil, args_path, nil, mine[math.min(sent, #mine)])
end
function response(status, headers, body)
  answered = answered + 1
  if status >= 500 then failed = failed + 1 end
  if status < 300 and acks then  -- after its share, a thread ignores the stragglers
    local id = body:match('"id":%s*(%d+)')
    local sid = body:match('"submission_id":%s*"([^"]+)"')
    acks:write(sid .. " " .. id .. "\n")
  end
  if answered >= #mine and acks then
    acks:close()
    acks = nil
    io.open(prefix .. "-done-" .. tid, "w"):close()  -- wrk runs for -d whatever: the caller ends it
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local failed_all = 0
  for _, thread in ipairs(threads) do failed_all = failed_all + thread:get("failed") end
  io.write(string.format("RESULT %d %.3f %d %.1f %.1f %.1f %.1f\n", summary.requests, summary.duration / 1e6,
    failed_all, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def warm_up(port: int, bodies: list[bytes]) -> None:
    for body in bodies:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST", PATH, body=body, headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.close()


def one_setting(kind: str, setting: str, args, tmp: str, pg_url: str | None, out) -> dict:
    label, workers, extra = SETTINGS[setting]
    bodies, _ids = workload(args.n)
    url, env = fresh_database(kind, tmp, pg_url)
    folder = Path(env["INSTANCE_PATH"])
    (folder / "bodies.txt").write_bytes(b"\n".join(bodies) + b"\n")
    (folder / "submit.lua").write_text(SCRIPT.replace("args_path", json.dumps(PATH)))
    server = Server("wsgi:app", env, workers, extra, folder / "gunicorn.log")
    server.start()
    try:
        warm_up(server.port, [json.dumps({"submission_id": f"warm-up-{i:04d}", "lang": "en", "answers": json.loads(
            bodies[0])["answers"]}).encode() for i in range(WARM_UP)])
        wrk = subprocess.Popen(["wrk", f"-t{THREADS}", f"-c{args.concurrency}", f"-d{TIME_CAP_S}s", "--timeout", "60s",
                                "-s", str(folder / "submit.lua"), f"http://127.0.0.1:{server.port}", "--",
                                str(folder / "bodies.txt"), str(THREADS), str(folder / "acks")],
                               stdout=subprocess.PIPE, text=True)
        while wrk.poll() is None and len(list(folder.glob("acks-done-*"))) < THREADS:
            time.sleep(0.05)
        wrk.send_signal(signal.SIGINT)
        stdout, _ = wrk.communicate()
    finally:
        server.stop()
    requests, seconds, failed, p50, p90, p99, longest = re.search(
        r"RESULT (\d+) ([\d.]+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", stdout).groups()
    acked_ids, acked = [], {}
    for part in folder.glob("acks-[0-9]*"):
        for line in part.read_text().split("\n"):
            if line:
                sid, rid = line.split()
                acked[len(acked_ids)] = int(rid)
                acked_ids.append(sid)
    stored = check_stored(url, acked_ids, acked)
    result = {"database": kind, "setting": label, "requests": int(requests), "rps": int(requests) / float(seconds),
              "5xx": int(failed), "p50": float(p50), "p90": float(p90), "p99": float(p99), "max": float(longest), **stored}
    verdict = "p99 under 1 s" if result["p99"] < P99_GOAL_MS else "p99 over 1 s"
    out(f"{kind:10s} {label:26s} {result['requests']:6d} requests {result['rps']:6.1f}/s  p50 {result['p50']:6.0f} ms  "
        f"p90 {result['p90']:6.0f} ms  p99 {result['p99']:6.0f} ms  max {result['max']:6.0f} ms  5xx {result['5xx']}  "
        f"acknowledged {stored['acknowledged']} stored {stored['stored']} lost {stored['lost']} "
        f"duplicated {stored['duplicated']}  {verdict}")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=150)
    parser.add_argument("--settings", default="sync3,sync4,gthread2x4")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    out(f"machine: {os.cpu_count()} cores; {args.n} submissions at concurrency {args.concurrency}, client wrk")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ["sqlite"] + (["postgresql"] if pg_url else []):
            for setting in args.settings.split(","):
                results.append(one_setting(kind, setting, args, tmp, pg_url, out))
    met = [f"{r['database']} {r['setting']}" for r in results if r["p99"] < P99_GOAL_MS and not r["lost"]]
    out(f"summary: p99 under 1 s at concurrency {args.concurrency}: {', '.join(met) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
