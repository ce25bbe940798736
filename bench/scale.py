"""Benchmark at scale on PostgreSQL: fill N resident responses (default 1,000,000) with COPY, then
time every report's JSON cold and warm and the streamed CSV export (rows/s, peak memory of the
`flask export` process), against the goals: reports under 2 s warm, the export at least 20,000
rows/s under 300 MiB.

The rows are bench/reports.py's synthetic responses (same shape, same seed), copied instead of
inserted. The database's tables are dropped first. The themes report is timed after tagging
every free-text answer once, as a deployment does in the background; the tagging is timed too.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/db python bench/scale.py [--n 1000000]
    python bench/scale.py --n 2000 --sqlite          # a quick check on SQLite (inserts, no COPY)
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from reports import ENDPOINTS, fill_derived, make_app, populate, synthetic_rows, timed  # noqa: E402

WARM_RUNS = 3
REPORT_GOAL_S = 2.0
EXPORT_GOAL_ROWS_S = 20_000
EXPORT_GOAL_MIB = 300
BATCH = 20_000
RESPONSE_COLUMNS = ("id", "submission_id", "survey_id", "survey_version_id", "lang", "channel", "consent_version",
                    "consent_given", "submitted_at", "demographics")
ANSWER_COLUMNS = ("response_id", "question_key", "position", "choice", "text", "number", "boolean", "date", "lang")


def reset(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def fill(app, n: int, out) -> None:
    """The demo (surveys, stakeholders, baselines, codebook) and n synthetic responses."""
    from app.core.extensions import db
    from app.models import Response, Survey
    started = time.perf_counter()
    populate(app, 0, analyze=False)
    if db_dialect(app) != "postgresql":
        populate(app, n)  # SQLite: the same rows through inserts
        out(f"filled {n} responses (inserts) in {time.perf_counter() - started:.1f} s")
        return
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        dimension_of = {q.key: q.dimension for q in version.survey_def.questions if q.dimension}
        first_id = (db.session.scalar(sa.select(sa.func.max(Response.id))) or 0) + 1
        db.session.commit()
        raw = db.engine.raw_connection()
        try:
            conn = raw.driver_connection
            rng, base, answers_n = random.Random(11), dt.datetime(2026, 1, 1), 0
            with conn.cursor() as cur:
                for start in range(0, n, BATCH):
                    responses, answers = synthetic_rows(version, dimension_of, rng, base, first_id,
                                                        range(start, min(start + BATCH, n)))
                    with cur.copy(f"COPY responses ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
                        for r in responses:
                            copy.write_row([r[c] for c in RESPONSE_COLUMNS])
                    with cur.copy(f"COPY answers ({', '.join(ANSWER_COLUMNS)}) FROM STDIN") as copy:
                        for a in answers:
                            copy.write_row([a[c] for c in ANSWER_COLUMNS])
                    answers_n += len(answers)
                    conn.commit()
                cur.execute("SELECT setval(pg_get_serial_sequence('responses', 'id'), (SELECT max(id) FROM responses))")
                cur.execute("SELECT setval(pg_get_serial_sequence('answers', 'id'), (SELECT max(id) FROM answers))")
                conn.commit()
                filled = time.perf_counter() - started
                with db.engine.begin() as sa_conn:
                    derived = fill_derived(sa_conn)  # what store_response writes with the answers
                ranked = time.perf_counter() - started - filled
                cur.execute("ANALYZE")
                conn.commit()
        finally:
            raw.close()
    rows = ", ".join(f"{count} {table}" for table, count in derived.items())
    out(f"filled {n} responses and {answers_n} answers (COPY) in {filled:.1f} s; their {rows} "
        f"(the migrations' fills) {ranked:.1f} s; ANALYZE {time.perf_counter() - started - filled - ranked:.1f} s")


def db_dialect(app) -> str:
    from app.core.extensions import db
    with app.app_context():
        return db.engine.dialect.name


def reports(url: str, instance: str, out) -> dict:
    from app.accounts.passwords import hash_password
    from app.core.tokens import create_token
    from app.core.extensions import db
    from app.models import User
    from app.themes.codebook import current_codebook
    from app.themes.tagging import bring_up_to_date
    app = make_app(url, instance)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "bench@example.org"))
        if user is None:  # --keep reuses the last run's account
            user = User(email="bench@example.org", role="admin", password_hash=hash_password("bench password"))
            db.session.add(user)
            db.session.commit()
        token = create_token(user)
        db.session.commit()
        codebook, tag_hash = current_codebook()
        tagging = timed(lambda: bring_up_to_date(codebook, tag_hash, commit=db.session.commit))
    out(f"tagging every free-text answer once (background job): {tagging:.1f} s")
    headers = {"Authorization": f"Bearer {token}"}
    warm_times = {}
    for name, path in ENDPOINTS.items():
        client = make_app(url, instance).test_client()  # a fresh app: its first request is cold
        status = {}

        def get():
            response = client.get(path, headers=headers)
            status["code"] = response.status_code
        cold = timed(get)
        warm = statistics.median(timed(get) for _ in range(WARM_RUNS))
        warm_times[name] = warm
        verdict = "ok" if warm < REPORT_GOAL_S and status["code"] == 200 else "OVER GOAL"
        out(f"report {name:36s} HTTP {status['code']}  cold {cold:7.2f} s  warm {warm:7.2f} s "
            f"(median of {WARM_RUNS})  goal < {REPORT_GOAL_S:.0f} s warm: {verdict}")
    return warm_times


def slow_paths(url: str, instance: str, out) -> None:
    """The queries 0021 replaced against their replacements, in this run on the same data, each
    in its own transaction set up as a report request sets it up (bench/_report_baselines.py)."""
    from _report_baselines import default_plan_answer_groups, pivoted_ranking_counts
    from app.core.database import bound_report_queries
    from app.core.extensions import db
    from app.reports import weighted
    from app.reports.alignment import ranking_counts
    from app.reporting.filters import ReportFilters
    from app.reporting.sample import response_conditions, selected_surveys
    app = make_app(url, instance)
    filters = ReportFilters(survey="community-needs")

    def one(call):
        def run():
            bound_report_queries()
            try:
                return call()
            finally:
                db.session.rollback()
        first = run()
        return first, statistics.median(timed(run) for _ in range(WARM_RUNS))
    with app.test_request_context():
        surveys = selected_surveys(filters)
        _survey, question = weighted.find_question(surveys, "recommend")
        conditions = response_conditions(filters, surveys)
        dimensions = ("age_band", "gender", "home_language", "neighbourhood")
        pairs = {"alignment rankings (priorities)": (lambda: pivoted_ranking_counts(filters, surveys, "priorities"),
                                                     lambda: ranking_counts(filters, surveys, "priorities")),
                 "weighted question groups (recommend)": (
                     lambda: default_plan_answer_groups(conditions, question, dimensions),
                     lambda: weighted.answer_groups(conditions, question, dimensions))}
        for name, (slow, fast) in pairs.items():
            (slow_result, slow_s), (fast_result, fast_s) = one(slow), one(fast)
            out(f"query {name:38s} before 0021 {slow_s:6.2f} s, now {fast_s:6.2f} s (median of {WARM_RUNS}); "
                f"same result: {slow_result == fast_result}")


def run_measured(command: list[str], env: dict, cwd: Path = REPO) -> tuple[float, float, float]:
    """(seconds, peak resident MiB, CPU seconds) of a command whose output goes to /dev/null.

    The peak is the process's own VmHWM, polled while it runs: the kernel's ru_maxrss for a
    child also counts the parent's memory from before the exec, so it overstates a child
    started by a large parent."""
    peak_kib = 0
    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.PIPE)
        status_file = Path(f"/proc/{proc.pid}/status")
        while True:
            try:
                for line in status_file.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
            except OSError:
                pass
            finished, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if finished:
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors = proc.stderr.read().decode()
        proc.stderr.close()
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[3:])} failed: {errors[-2000:]}")
    return seconds, peak_kib / 1024, usage.ru_utime + usage.ru_stime


def export(url: str, instance: str, out, repo: Path = REPO, label: str = "export") -> tuple[float, float]:
    """The real command, `flask export responses --format csv` to /dev/null, in its own process:
    (rows/s, peak resident MiB). Start-up (imports, app) is timed on its own too: the export of
    the small partner survey. `repo`: the checkout whose code runs (--baseline-repo: another
    version's export on the same data, in the same run)."""
    app = make_app(url, instance)
    from app.core.extensions import db
    from app.models import Response, Survey
    with app.app_context():
        survey_id = Survey.by_slug("community-needs").id
        rows = db.session.scalar(sa.select(sa.func.count()).where(Response.survey_id == survey_id,
                                                                  Response.withdrawn_at.is_(None)))
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
           "PYTHONPATH": str(repo)}
    command = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "export", "responses", "--format", "csv"]
    start_s, start_mib, _cpu = run_measured(command + ["--survey", "partner-survey"], env, repo)
    seconds, peak_mib, cpu = run_measured(command + ["--survey", "community-needs"], env, repo)
    rate = rows / seconds
    net = rows / max(seconds - start_s, 1e-9)
    verdict = "ok" if rate >= EXPORT_GOAL_ROWS_S and peak_mib < EXPORT_GOAL_MIB else "OVER GOAL"
    out(f"{label} CSV of {rows} rows: {seconds:.1f} s, {rate:,.0f} rows/s; peak memory {peak_mib:.0f} MiB "
        f"(goal >= {EXPORT_GOAL_ROWS_S:,} rows/s under {EXPORT_GOAL_MIB} MiB: {verdict}); the process used "
        f"{cpu:.1f} s of CPU ({rows / cpu:,.0f} rows per CPU second); start-up alone (a small survey's "
        f"export) {start_s:.1f} s and {start_mib:.0f} MiB, so {net:,.0f} rows/s once started")
    return rate, peak_mib


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="responses to fill")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of BENCH_DATABASE_URL")
    parser.add_argument("--keep", action="store_true", help="reuse the filled database: no reset, no fill")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--baseline-repo", type=Path,
                        help="another checkout (e.g. main) whose export runs on the same data first, as the baseline")
    args = parser.parse_args(argv)
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/scale.sqlite" if args.sqlite else os.environ.get("BENCH_DATABASE_URL")
        if not url:
            parser.error("set BENCH_DATABASE_URL to a PostgreSQL database whose tables may be dropped, or --sqlite")
        out(f"machine: {os.cpu_count()} cores; {sa.make_url(url).get_backend_name()}; {args.n} responses")
        if not args.keep:
            reset(url)
            fill(make_app(url, tmp), args.n, out)
        if args.baseline_repo:
            export(url, tmp, out, args.baseline_repo.resolve(), f"baseline export ({args.baseline_repo})")
        rate, peak = export(url, tmp, out)
        if not args.export_only:
            slow_paths(url, tmp, out)
        warm = {} if args.export_only else reports(url, tmp, out)
    slow = [name for name, s in warm.items() if s >= REPORT_GOAL_S]
    over = "not run" if args.export_only else ", ".join(slow) or "none"
    out(f"summary: export {rate:,.0f} rows/s, {peak:.0f} MiB; reports over {REPORT_GOAL_S:.0f} s warm: {over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
