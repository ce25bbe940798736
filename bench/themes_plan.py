"""The themes report on a freshly loaded PostgreSQL database whose statistics are not yet gathered.

Loads synthetic responses (bench/reports.py's fill, fixed seed) with autovacuum switched off on
the tables, tags the texts, then times the themes report and prints the plan of its slowest
query: first with no statistics (as after a bulk load), then after ANALYZE.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/db?options=-csearch_path%3Dbench \
        python bench/themes_plan.py [--responses 20000] [--keep]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402

from reports import make_app, populate  # noqa: E402

PATH = "/api/v1/reports/themes?survey=community-needs"
TABLES = ("responses", "answers", "theme_tags", "tagged_texts")


def fill(url: str, instance: str, count: int) -> None:
    from app.core.extensions import db
    app = make_app(url, instance)
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            for table in TABLES:  # keep the statistics empty, as right after a bulk load
                conn.execute(sa.text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    print(f"fill {count} responses: {populate(app, count, analyze=False):.1f} s", flush=True)
    from app.themes.codebook import current_codebook
    from app.themes.tagging import bring_up_to_date
    with app.app_context():
        codebook, tag_hash = current_codebook()
        started = time.perf_counter()
        bring_up_to_date(codebook, tag_hash, commit=db.session.commit)
        print(f"tagging: {time.perf_counter() - started:.1f} s", flush=True)
        db.session.add(_admin())
        db.session.commit()


def _admin():
    from app.accounts.passwords import hash_password
    from app.models import User
    return User(email="bench@example.org", role="admin", password_hash=hash_password("bench password"))


def time_report(url: str, instance: str, label: str, explain: bool) -> None:
    from app.core.extensions import db
    app = make_app(url, instance)
    queries: list[tuple[float, str, object]] = []

    with app.app_context():
        @sa.event.listens_for(db.engine, "before_cursor_execute")
        def _start(conn, cursor, statement, parameters, context, executemany):
            conn.info["started"] = time.perf_counter()

        @sa.event.listens_for(db.engine, "after_cursor_execute")
        def _end(conn, cursor, statement, parameters, context, executemany):
            queries.append((time.perf_counter() - conn.info["started"], statement, parameters))

    client = app.test_client()
    with app.app_context():
        from app.core.tokens import create_token
        from app.models import User
        token = create_token(db.session.scalar(sa.select(User).where(User.email == "bench@example.org")))
        db.session.commit()
    started = time.perf_counter()
    response = client.get(PATH, headers={"Authorization": f"Bearer {token}"})
    took = time.perf_counter() - started
    print(f"[{label}] themes report: HTTP {response.status_code} in {took:.2f} s, of which {len(queries)} "
          f"queries {sum(q[0] for q in queries):.2f} s", flush=True)
    slowest = sorted(queries, key=lambda q: q[0], reverse=True)[:2]
    for seconds, statement, _params in slowest:
        print(f"[{label}]   query {seconds:.2f} s: {' '.join(statement.split())[:160]}…")
    if explain and slowest:
        seconds, statement, params = slowest[0]
        from app.themes import queries as themes_queries
        with app.app_context(), db.engine.connect() as conn:
            if hasattr(themes_queries, "whole_table_plans"):  # the report's own planner setting
                conn.exec_driver_sql("SET enable_nestloop = off")
            plan = conn.exec_driver_sql("EXPLAIN " + statement, params).scalars().all()
        print("\n".join(f"[{label}]     {line}" for line in plan))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database; only time")
    parser.add_argument("--forget", action="store_true", help="first drop the tables' statistics (superuser)")
    args = parser.parse_args()
    url = os.environ["BENCH_DATABASE_URL"]
    engine = sa.create_engine(url)
    with tempfile.TemporaryDirectory() as instance:
        if not args.keep:
            fill(url, instance, args.responses)
        if args.forget:
            with engine.begin() as conn:
                for table in TABLES:  # back to "never analyzed": no column statistics, no row estimate
                    conn.execute(sa.text("DELETE FROM pg_statistic WHERE starelid = CAST(:t AS regclass)"), {"t": table})
                    conn.execute(sa.text("UPDATE pg_class SET reltuples = -1, relpages = 0 "
                                         "WHERE oid = CAST(:t AS regclass)"), {"t": table})
        time_report(url, instance, "no statistics", explain=True)
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
        time_report(url, instance, "after ANALYZE", explain=True)
    engine.dispose()


if __name__ == "__main__":
    main()
