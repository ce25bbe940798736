"""The database going away under gunicorn: PostgreSQL refused, then black-holed, then back.

Starts gunicorn (2 workers) on a loopback proxy to BENCH_DATABASE_URL (a loaded database, e.g. the
one bench/themes_plan.py fills), cuts the proxy, and prints status and time of resident and API
requests; then the same against a port that accepts and never answers; then restores the proxy.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/db python bench/outage.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.app.netfaults import CuttableProxy, black_hole  # noqa: E402

PATHS = ("/s/community-needs", "/api/v1/surveys")


def fetch(base: str, path: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            status, retry = response.status, response.headers.get("Retry-After", "")
    except urllib.error.HTTPError as exc:
        status, retry = exc.code, exc.headers.get("Retry-After", "")
    return status, time.perf_counter() - started, retry


def serve(url: str, port: int, instance: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
           "DATABASE_CONNECT_TIMEOUT": "3"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(instance) / f"gunicorn-{port}.log", "w"))
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/respond.js", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start: " + (Path(instance) / f"gunicorn-{port}.log").read_text()[-2000:])


def report(label: str, base: str) -> None:
    for path in PATHS:
        status, took, retry = fetch(base, path)
        print(f"{label:34s} {path:22s} HTTP {status}  {took:5.2f} s  Retry-After {retry or '-'}", flush=True)


def main() -> None:
    url = sa.make_url(os.environ["BENCH_DATABASE_URL"])
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    hole = black_hole()
    with tempfile.TemporaryDirectory() as instance:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        holed = url.set(host="127.0.0.1", port=hole.getsockname()[1]).render_as_string(hide_password=False)
        servers = [serve(proxied, 8931, instance), serve(holed, 8932, instance)]
        try:
            report("database up", "http://127.0.0.1:8931")
            proxy.cut()
            report("database refused (proxy cut)", "http://127.0.0.1:8931")
            report("database black-holed", "http://127.0.0.1:8932")
            proxy.restore()
            report("database back", "http://127.0.0.1:8931")
        finally:
            for server in servers:
                server.terminate()
                server.wait()
            proxy.close()
            hole.close()


if __name__ == "__main__":
    main()
