"""Benchmark: each report's JSON endpoint on 100,000 responses, cold and warm, against the route a
user would otherwise take (export the responses to CSV, compute the same shares with pandas).

SQLite always; PostgreSQL too when BENCH_DATABASE_URL names an empty database. Synthetic
responses are bulk-inserted (fixed seed); the themes report is timed after `themes tag`, as a
deployment runs it in the background, and the tagging itself is timed on its own.

    python bench/reports.py [--responses 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WARM_RUNS = 5
DIMENSIONS = {
    "age_band": ["under_18", "18_24", "25_44", "45_64", "65_plus", "prefer_not"],
    "gender": ["woman", "man", "non_binary", "prefer_not"],
    "home_language": ["english", "spanish", "arabic", "chinese", "vietnamese", "somali", "french", "other"],
    "neighbourhood": ["riverside", "northgate", "old_town", "eastfield", "hillcrest", "southbank"],
    "ethnicity": ["white", "black", "hispanic", "asian", "middle_eastern", "mixed", "other"],
    "disability": ["yes", "no", "prefer_not"],
}
#: Each report's JSON, as bench/scale.py times it too.
ENDPOINTS = {
    "representation": "/api/v1/reports/representation?survey=community-needs&geography=city",
    "representation + weighted question": "/api/v1/reports/representation?survey=community-needs&geography=city&question=recommend",
    "themes": "/api/v1/reports/themes?survey=community-needs",
    "network": "/api/v1/reports/network",
    "alignment": "/api/v1/reports/alignment?survey=community-needs",
}
PRIORITIES = ["housing", "transport", "safety", "jobs", "health", "youth"]
COMMENTS = ["The rent is too high for families", "More buses in the evening please", "Better lighting near the park",
            "Affordable childcare so I can work", "A clinic open at weekends", "Things for teenagers after school"]


def make_app(url: str, instance: str):
    from app import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                       "TESTING": True})


def populate(app, count: int, analyze: bool = True) -> float:
    from app.demo import seed_demo
    from app.core.extensions import db
    from app.models import Answer, Response, Survey
    from app.surveys.loader import load_surveys
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        load_surveys(REPO / "surveys")
        seed_demo()  # stakeholders, baselines, partner answers, the codebook
        version = Survey.by_slug("community-needs").latest_version()
        # Bulk inserts bypass store_response, so write the pattern it would write.
        dimension_of = {q.key: q.dimension for q in version.survey_def.questions if q.dimension}
        rng = random.Random(11)
        base = dt.datetime(2026, 1, 1)
        first_id = (db.session.scalar(sa.select(sa.func.max(Response.id))) or 0) + 1
        batch = 10_000
        for start in range(0, count, batch):
            responses, answers = synthetic_rows(version, dimension_of, rng, base, first_id,
                                                range(start, min(start + batch, count)))
            db.session.execute(sa.insert(Response), responses)
            db.session.execute(sa.insert(Answer), answers)
            db.session.commit()
        with db.engine.begin() as conn:
            fill_derived(conn)  # what store_response writes with the answers
        if analyze and db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started


#: Migrations whose fill writes, for answers already stored, the rows store_response writes with new ones.
DERIVED = {"response_rankings": "0021_response_rankings.py", "text_answers": "0022_text_answers.py"}


def fill_derived(conn) -> dict[str, int]:
    """{table: rows written} for bulk-loaded responses, as the migrations do for old ones
    (bulk loads bypass store_response, which writes these rows with the answers)."""
    import importlib.util
    written = {}
    for table, name in DERIVED.items():
        spec = importlib.util.spec_from_file_location(f"migration_{table}", REPO / "app" / "migrations" / "versions" / name)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        written[table] = migration.fill_from_answers(conn)
    return written


def synthetic_rows(version, dimension_of: dict, rng: random.Random, base: dt.datetime, first_id: int,
                   numbers: range) -> tuple[list[dict], list[dict]]:
    """(responses, answers) rows of synthetic resident responses `numbers` (ids from `first_id`),
    with the demographic pattern store_response would write; bench/scale.py copies the same rows."""
    from app.core.demographics import pattern_from_answers
    responses, answers = [], []
    for i in numbers:
        rid = first_id + i
        demographics = {key: rng.choice(choices) for key, choices in DIMENSIONS.items()}
        responses.append({"id": rid, "submission_id": f"bench-{i:08d}", "survey_id": version.survey_id,
                          "survey_version_id": version.id, "lang": "en", "channel": "web",
                          "consent_version": 1, "consent_given": True,
                          "submitted_at": base + dt.timedelta(minutes=i),
                          "demographics": pattern_from_answers(dimension_of, demographics.items())})
        row = {"response_id": rid, "position": 0, "choice": None, "text": None, "number": None,
               "boolean": None, "date": None, "lang": None}
        for key, choice in demographics.items():
            answers.append({**row, "question_key": key, "choice": choice})
        for position, choice in enumerate(rng.sample(PRIORITIES, 3)):
            answers.append({**row, "question_key": "priorities", "position": position, "choice": choice})
        answers.append({**row, "question_key": "recommend", "boolean": rng.random() < 0.6})
        if rng.random() < 0.3:
            answers.append({**row, "question_key": "biggest_change", "text": rng.choice(COMMENTS), "lang": "en"})
    return responses, answers


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def measure(url: str, instance: str, label: str, out) -> None:
    from app.core.extensions import db
    from app.models import User
    from app.accounts.passwords import hash_password
    app = make_app(url, instance)
    with app.app_context():
        user = User(email="bench@example.org", role="admin", password_hash=hash_password("bench password"))
        db.session.add(user)
        db.session.commit()
        from app.core.tokens import create_token
        token = create_token(user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    from app.themes.codebook import current_codebook
    from app.themes.tagging import bring_up_to_date
    with app.app_context():
        codebook, tag_hash = current_codebook()
        tagging = timed(lambda: bring_up_to_date(codebook, tag_hash, commit=db.session.commit))
    out(f"[{label}] tagging every free-text answer once (background job): {tagging:.2f} s")
    for name, path in ENDPOINTS.items():
        cold_app = make_app(url, instance)  # a fresh process's first request: nothing cached
        client = cold_app.test_client()
        cold = timed(lambda: _ok(client.get(path, headers=headers), name))
        warm = statistics.median(timed(lambda: _ok(client.get(path, headers=headers), name)) for _ in range(WARM_RUNS))
        out(f"[{label}] {name:36s} cold {cold:6.2f} s   warm {warm:6.3f} s (median of {WARM_RUNS})")
    # A fresh app for each: the tagging pass above leaves its session holding every tagged text.
    with make_app(url, instance).app_context():
        compare_pattern_passes(label, out)
    with make_app(url, instance).app_context():
        export_time, pandas_time = export_and_pandas()
    out(f"[{label}] the user's route: export CSV {export_time:.2f} s + pandas shares {pandas_time:.2f} s = "
        f"{export_time + pandas_time:.2f} s")
    client = app.test_client()
    html = client.get("/s/community-needs").data
    out(f"[{label}] first survey page: {len(html)} bytes, {len(gzip.compress(html))} bytes gzip (goal <= 14336)")


def compare_pattern_passes(label: str, out) -> None:
    """Who answered with which demographics: the stored pattern against the pivot it replaced."""
    from app.reporting.filters import ReportFilters
    from _pivot_baseline import pivoted_patterns, stored_patterns
    filters = ReportFilters(survey="community-needs")  # the report's defaults: every channel
    pivot = statistics.median(timed(lambda: pivoted_patterns(filters)) for _ in range(WARM_RUNS))
    stored = statistics.median(timed(lambda: stored_patterns(filters)) for _ in range(WARM_RUNS))
    same = pivoted_patterns(filters) == stored_patterns(filters)
    out(f"[{label}] pattern table: pivot of answers {pivot:.3f} s, stored patterns {stored:.3f} s "
        f"({pivot / stored:.1f}x faster), same table: {same}")
    if not same:
        raise SystemExit("the stored patterns disagree with the answers")


def _ok(response, name):
    if response.status_code != 200:
        raise SystemExit(f"{name}: HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")


def export_and_pandas() -> tuple[float, float]:
    import pandas as pd
    from app.reporting.export import write_responses
    buffer = io.StringIO()
    export_time = timed(lambda: write_responses("community-needs", "csv", buffer))
    def shares():
        frame = pd.read_csv(io.StringIO(buffer.getvalue()), low_memory=False)
        return {key: frame[key].value_counts(normalize=True) for key in DIMENSIONS}
    return export_time, timed(shares)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        out(f"[sqlite] populated {args.responses} responses in {populate(make_app(url, tmp), args.responses):.1f} s")
        measure(url, tmp, "sqlite", out)
        pg = os.environ.get("BENCH_DATABASE_URL")
        if pg:
            out(f"[postgresql] populated in {populate(make_app(pg, tmp), args.responses):.1f} s")
            measure(pg, tmp, "postgresql", out)
        else:
            out("[postgresql] skipped: set BENCH_DATABASE_URL to an empty database to include it")


if __name__ == "__main__":
    main()
