"""Benchmark: the scorecard (`GET /api/v1/scorecard`) with 50 indicators over 5 years of monthly
data on 100,000 responses, cold and warm, on SQLite and PostgreSQL. Goal: under 1 s warm.

Beside it, in the same run: one indicator's series, and the scorecard's indicators computed one
by one (`GET /api/v1/indicators/<key>` fifty times), the route a client of the API would take.
Responses are bulk-inserted (fixed seed) over 2021-01 to 2025-12; the 50 indicators mix shares,
means and counts, months, quarters and years, weighted and not, and reported values.

    python bench/indicators.py [--responses 100000] [--indicators 50] [--sqlite] [--keep DIR]

`--keep DIR` keeps the filled SQLite file in DIR and reuses it on the next run (and the filled
PostgreSQL database is reused when it already holds the responses).

PostgreSQL too when BENCH_DATABASE_URL names an empty database (its tables are dropped).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402

from reports import make_app, synthetic_rows, timed  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WARM_RUNS = 5
GOAL_SECONDS = 1.0
START = dt.datetime(2021, 1, 1)
SPAN = dt.datetime(2026, 1, 1) - START
FREQUENCIES = ("month", "quarter", "year")
SERVICES = ["clinic", "food_bank", "library", "community_centre", "job_centre", "youth_club"]
AGREE = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
#: (source, unit, disaggregate) of the indicator kinds the 50 cycle through.
KINDS = [
    ("{survey: community-needs, question: safety_rating, share_of: [4, 5]}", "percent", "[age_band, neighbourhood]"),
    ("{survey: community-needs, question: safety_rating, share_of: [4, 5], weighted: true}", "percent", "[age_band]"),
    ("{survey: community-needs, question: recommend, share_of: [true]}", "percent", "[language]"),
    ("{survey: community-needs, question: services_used, share_of: [%s]}", "percent", "[gender]"),
    ("{survey: community-needs, question: bus_often, share_of: [agree, strongly_agree]}", "percent", "[]"),
    ("{survey: community-needs, question: safety_rating, mean: true}", "number", "[neighbourhood]"),
    ("{survey: community-needs, question: years_here, mean: true, weighted: true}", "number", "[]"),
    ("{survey: community-needs, count: true}", "count", "[language]"),
    ("reported", "count", "[neighbourhood]"),
    ("{survey: community-needs, question: priorities, share_of: [housing]}", "percent", "[age_band]"),
]


def indicator_files(folder: Path, n: int) -> list[str]:
    keys = []
    for i in range(n):
        source, unit, disaggregate = KINDS[i % len(KINDS)]
        if "%s" in source:
            source = source % SERVICES[i % len(SERVICES)]
        frequency = FREQUENCIES[i % len(FREQUENCIES)]
        period = {"month": "2021-01", "quarter": "2021-Q1", "year": "2021"}[frequency]
        target = {"month": "2027-12", "quarter": "2027-Q4", "year": "2027"}[frequency]
        low, high = (0.4, 0.6) if unit == "percent" else (3, 4)
        key = f"bench_{i:02d}"
        keys.append(key)
        (folder / f"{key}.yaml").write_text(
            f"key: {key}\ntitle: Bench indicator {i}\nunit: {unit}\npolarity: higher_is_better\n"
            f"frequency: {frequency}\nresult: result_{i % 6}\nsource: {source}\ndisaggregate: {disaggregate}\n"
            f"baseline: {{period: '{period}', value: {low}}}\ntargets: [{{period: '{target}', value: {high}}}]\n"
            + ("reported_by: [rfb]\n" if source == "reported" else ""), encoding="utf-8")
    return keys


def extra_answers(rng: random.Random, rid: int) -> list[dict]:
    row = {"response_id": rid, "position": 0, "choice": None, "text": None, "number": None,
           "boolean": None, "date": None, "lang": None}
    found = []
    if rng.random() < 0.9:
        found.append({**row, "question_key": "safety_rating", "number": float(rng.randint(1, 5))})
    found.append({**row, "question_key": "years_here", "number": float(rng.choice((0, 1, 2, 5, 8, 12, 20, 35)))})
    for position, choice in enumerate(rng.sample(SERVICES, rng.randint(0, 3))):
        found.append({**row, "question_key": "services_used", "position": position, "choice": choice})
    if rng.random() < 0.4:
        found.append({**row, "question_key": "bus_often", "choice": rng.choice(AGREE)})
    return found


def populate(app, count: int, indicators: int) -> float:
    from app.demo import seed_demo
    from app.core.extensions import db
    from app.indicators.loader import load_indicators
    from app.indicators.reported import Catalogue, check_value_records, store_values
    from app.models import Answer, Indicator, Response, Survey
    from app.surveys.loader import load_surveys
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        load_surveys(REPO / "surveys")
        seed_demo()
        version = Survey.by_slug("community-needs").latest_version()
        dimension_of = {q.key: q.dimension for q in version.survey_def.questions if q.dimension}
        rng = random.Random(13)
        first_id = (db.session.scalar(sa.select(sa.func.max(Response.id))) or 0) + 1
        step = SPAN / count
        for start in range(0, count, 10_000):
            numbers = range(start, min(start + 10_000, count))
            responses, answers = synthetic_rows(version, dimension_of, rng, START, first_id, numbers)
            for i, response in zip(numbers, responses):
                response["submitted_at"] = START + step * i
                answers.extend(extra_answers(rng, response["id"]))
            db.session.execute(sa.insert(Response), responses)
            db.session.execute(sa.insert(Answer), answers)
            db.session.commit()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            # The demo loads its own indicators; the bench's files bring the scorecard to `indicators`.
            shipped = db.session.scalar(sa.select(sa.func.count()).select_from(Indicator))
            keys = indicator_files(folder, max(indicators - shipped, 0))
            load_indicators(folder, REPO / "surveys")
        reported = [key for i, key in enumerate(keys) if KINDS[i % len(KINDS)][0] == "reported"]
        rows, number = [], 1
        for key, i in ((k, keys.index(k)) for k in reported):
            frequency = FREQUENCIES[i % len(FREQUENCIES)]
            for period in _periods(frequency):
                for category in ("", "eastfield", "northgate"):
                    number += 1
                    rows.append((number, {"indicator": key, "period": period, "value": rng.randint(300, 600),
                                          "dimension": "neighbourhood" if category else "", "category": category,
                                          "source": "bench"}))
        clean, errors = check_value_records(rows, Catalogue.current())
        assert not errors, errors[:3]
        store_values(clean, via="csv")
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started


def filled(url: str, responses: int) -> bool:
    """True when `url` already holds this benchmark's responses and indicators."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            bench = conn.execute(sa.text("SELECT count(*) FROM responses WHERE submission_id LIKE 'bench-%'")).scalar()
            indicators = conn.execute(sa.text("SELECT count(*) FROM indicators")).scalar()
        return bench == responses and indicators > 0
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def _periods(frequency: str) -> list[str]:
    years = range(2021, 2026)
    if frequency == "year":
        return [str(y) for y in years]
    if frequency == "quarter":
        return [f"{y}-Q{q}" for y in years for q in range(1, 5)]
    return [f"{y}-{m:02d}" for y in years for m in range(1, 13)]


def _ok(response, name: str) -> dict:
    if response.status_code != 200:
        raise SystemExit(f"{name}: HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response.get_json()


def measure(url: str, instance: str, label: str, out) -> float:
    from app.accounts.passwords import hash_password
    from app.core.tokens import create_token
    from app.core.extensions import db
    from app.models import User
    app = make_app(url, instance)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "bench-ind@example.org"))
        if user is None:
            user = User(email="bench-ind@example.org", role="equity_lead",
                        password_hash=hash_password("bench password"))
            db.session.add(user)
            db.session.commit()
        token = create_token(user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = make_app(url, instance).test_client()  # a fresh process: nothing parsed or cached yet
    cold = timed(lambda: _ok(client.get("/api/v1/scorecard", headers=headers), "scorecard"))
    card = _ok(client.get("/api/v1/scorecard", headers=headers), "scorecard")
    warm = statistics.median(timed(lambda: _ok(client.get("/api/v1/scorecard", headers=headers), "scorecard"))
                             for _ in range(WARM_RUNS))
    indicators = [i for r in card["results"] for i in r["indicators"]]
    periods = sum(len(i["periods"]) for i in indicators)
    out(f"[{label}] scorecard of {len(indicators)} indicators, {periods} periods: cold {cold:.2f} s, "
        f"warm {warm:.3f} s (median of {WARM_RUNS}; goal < {GOAL_SECONDS:.0f} s: {'met' if warm < GOAL_SECONDS else 'MISSED'})")
    from app.indicators import memo

    def recomputed():
        memo.forget()
        _ok(client.get("/api/v1/scorecard", headers=headers), "scorecard")
    again = statistics.median(timed(recomputed) for _ in range(3))
    out(f"[{label}] scorecard recomputed from the responses (kept values dropped first): {again:.2f} s (median of 3)")
    filtered = statistics.median(timed(lambda: _ok(client.get(
        "/api/v1/scorecard?dimension=language&category=somali", headers=headers), "filtered")) for _ in range(3))
    out(f"[{label}] scorecard filtered to Somali speakers: warm {filtered:.3f} s")
    one_by_one = timed(lambda: [_ok(client.get(f"/api/v1/indicators/{i['key']}", headers=headers), i["key"])
                                for i in indicators])
    out(f"[{label}] the same {len(indicators)} indicators one request each: {one_by_one:.3f} s")
    memo.forget()
    key = next(i["key"] for i in indicators if i["source"].get("weighted") and "age_band" in i["disaggregate"])
    breakdown = statistics.median(timed(lambda: _ok(client.get(
        f"/api/v1/indicators/{key}?dimension=age_band", headers=headers), key)) for _ in range(3))
    out(f"[{label}] one weighted indicator broken down by age band (the first computes): median {breakdown:.3f} s")
    return warm


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only, even with BENCH_DATABASE_URL set")
    parser.add_argument("--keep", help="a folder to keep the filled SQLite database in, and reuse it from")
    args = parser.parse_args(argv)
    out = lambda *a: print(*a, flush=True)  # noqa: E731
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        Path(folder).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder}/bench-indicators.sqlite"
        if not filled(url, args.responses):
            seconds = populate(make_app(url, tmp), args.responses, args.indicators)
            out(f"[sqlite] populated {args.responses} responses and {args.indicators} indicators in {seconds:.1f} s")
        results["sqlite"] = measure(url, tmp, "sqlite", out)
        pg = os.environ.get("BENCH_DATABASE_URL")
        if pg and not args.sqlite:
            if not filled(pg, args.responses):
                engine = sa.create_engine(pg)
                with engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                engine.dispose()
                seconds = populate(make_app(pg, tmp), args.responses, args.indicators)
                out(f"[postgresql] populated in {seconds:.1f} s")
            results["postgresql"] = measure(pg, tmp, "postgresql", out)
        else:
            out("[postgresql] skipped: set BENCH_DATABASE_URL to an empty database to include it")
    out("summary: scorecard warm " + ", ".join(f"{name} {s:.3f} s" for name, s in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
