"""A demo initiative: stakeholders, a population baseline, and deterministic synthetic answers.

The resident sample is deliberately skewed (older, more women, more English speakers, few from
Eastfield) against the baseline, so the representation report has real gaps to show. Every id
is derived from a fixed seed, so seeding twice stores nothing the second time.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import uuid
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask import current_app

from app.baselines.importing import read_long, read_wide
from app.core.extensions import db
from app.demo.scorecard import seed_indicators, seed_scorecard
from app.models import Indicator, Stakeholder, Survey
from app.reporting.population import known_categories, store_rows
from app.responses.submission import store_response
from app.stakeholders.relationships import relationships_from_survey
from app.surveydef.answers import check_answers
from app.themes.codebook import load_shipped_if_empty

DATA = Path(__file__).resolve().parent
SEED = 20261123
RESIDENT_RESPONSES = 420
#: Fixed start of the demo fieldwork, so a second run makes identical rows: the partner survey's,
#: and the last of the resident survey's yearly autumn waves (RESIDENT_WAVES), which give the
#: survey-based indicators three years of history.
FIELDWORK_START = dt.datetime(2026, 9, 1, 9, 0)
RESIDENT_WAVES = (2024, 2025, 2026)
NAMESPACE = uuid.UUID("6f1c1a52-3c0e-4d53-9a41-4e0a0c5e2d10")

#: How much more (or less) likely than its population share a group is to answer: the skew.
RESPONSE_SKEW = {
    "age_band": {"under_18": 0.15, "18_24": 0.4, "25_44": 0.9, "45_64": 1.4, "65_plus": 1.8},
    "gender": {"woman": 1.35, "man": 0.7, "non_binary": 1.0},
    "language": {"english": 1.35, "spanish": 0.8, "arabic": 0.5, "chinese": 0.7, "vietnamese": 0.5,
                 "somali": 0.3, "french": 0.9, "other": 0.6},
    "neighbourhood": {"riverside": 1.1, "northgate": 1.0, "old_town": 1.3, "eastfield": 0.45,
                      "hillcrest": 1.7, "southbank": 1.0},
    "ethnicity": {"white": 1.3, "black": 0.7, "hispanic": 0.8, "asian": 0.8, "middle_eastern": 0.6,
                  "mixed": 1.0, "other": 1.0},
    "disability": {"yes": 0.8, "no": 1.0},
}
DIMENSION_QUESTION = {"age_band": "age_band", "gender": "gender", "language": "home_language",
                      "neighbourhood": "neighbourhood", "ethnicity": "ethnicity", "disability": "disability"}
LOCALE_OF_LANGUAGE = {"spanish": "es", "arabic": "ar", "chinese": "zh_Hans", "vietnamese": "vi",
                      "somali": "so", "french": "fr"}
#: Comment files are keyed by language; Chinese comments are written in Simplified script.
COMMENT_LANGUAGE = {"zh_Hans": "zh"}
PREFER_NOT_RATE = 0.04


def seed_demo() -> str:
    stakeholders = _seed_stakeholders()
    baselines = _seed_baseline()
    rng = random.Random(SEED)
    residents = _seed_residents(rng)
    partners = _seed_partners(rng)
    themes = load_shipped_if_empty()  # the codebook the themes report reads
    db.session.commit()
    _tag_demo_texts()
    indicators, values = seed_indicators(current_app.config["SURVEYS_DIR"])
    scorecard = seed_scorecard({key for key in db.session.scalars(sa.select(Indicator.key))})
    db.session.commit()
    return (f"demo: {stakeholders} new stakeholders, {baselines} new baseline rows, "
            f"{residents} new resident responses, {partners} new partner responses, {themes} codebook themes loaded, "
            f"{indicators} new indicator versions, {values} new indicator values, "
            f"{scorecard['measures']} new partner measures with {scorecard['reports']} reports, "
            f"{scorecard['actions']} new actions, {scorecard['published']} new items on the public page")


def _tag_demo_texts() -> None:
    """Tag the demo's texts now, as `flask themes tag` does, so the demo's themes report is ready
    at once (outside a request no task is started for them)."""
    from app.tasks.queue import forget_committed
    from app.themes.codebook import current_codebook
    from app.themes.tagging import bring_up_to_date
    codebook, tag_hash = current_codebook()
    if codebook is not None:
        bring_up_to_date(codebook, tag_hash, commit=db.session.commit)
    forget_committed()  # done here; nothing left for a task


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _seed_stakeholders() -> int:
    existing = Stakeholder.all_ids()
    new = [Stakeholder(**row) for row in _rows("stakeholders.csv") if row["id"] not in existing]
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def _seed_baseline() -> int:
    """The city-wide table (long CSV) and the neighbourhood table (wide, census-style, with a mapping)."""
    known = known_categories()
    rows = read_long((DATA / "baseline.csv").read_text(encoding="utf-8"), known)
    rows += read_wide((DATA / "census_wide.csv").read_text(encoding="utf-8"),
                      (DATA / "census_mapping.yaml").read_text(encoding="utf-8"), known)
    created, _updated = store_rows(rows)
    return created


def _population() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for row in _rows("baseline.csv"):
        table.setdefault(row["dimension"], {})[row["category"]] = int(row["population"])
    return table


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _resident_answers(rng: random.Random, population, comments) -> tuple[dict, str]:
    answers: dict = {}
    for dimension, counts in population.items():
        skewed = {c: n * RESPONSE_SKEW[dimension][c] for c, n in counts.items()}
        value = "prefer_not" if rng.random() < PREFER_NOT_RATE else _pick(rng, skewed)
        answers[DIMENSION_QUESTION[dimension]] = value
    lang = LOCALE_OF_LANGUAGE.get(answers["home_language"], "en") if rng.random() < 0.85 else "en"
    older = answers["age_band"] in ("45_64", "65_plus")
    appeal = {"housing": 5, "transport": 3, "safety": 4 if older else 2, "jobs": 1 if older else 4,
              "health": 4 if older else 2, "youth": 1 if older else 3}
    ranked = sorted(appeal, key=lambda k: -appeal[k] * rng.uniform(0.4, 1.6))
    answers["priorities"] = ranked[:3]
    if rng.random() < 0.7:
        pool = comments[COMMENT_LANGUAGE.get(lang, lang)]
        answers["biggest_change"] = " ".join(rng.sample(pool, k=rng.choice((1, 1, 2))))
    answers["services_used"] = rng.sample(["clinic", "food_bank", "library", "community_centre",
                                           "job_centre", "youth_club"], k=rng.randint(0, 3)) or ["none"]
    if "transport" in answers["priorities"]:
        answers["bus_often"] = _pick(rng, {"strongly_disagree": 3, "disagree": 4, "neutral": 2, "agree": 2,
                                           "strongly_agree": 1})
    answers["safety_rating"] = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    if answers["safety_rating"] <= 2 and rng.random() < 0.5:
        answers["safety_where"] = rng.choice(["The underpass by the station", "Eastfield park at night",
                                              "The bus stop on Mill Road"])
    answers["years_here"] = rng.choice((0, 1, 2, 5, 8, 12, 20, 35))
    if answers["years_here"] == 0:
        answers["moved_in"] = (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 240))).isoformat()
    answers["recommend"] = rng.random() < 0.6
    answers["household_size"] = rng.choice((1, 2, 2, 3, 4, 5, 6))
    return answers, lang


def _seed_residents(rng: random.Random) -> int:
    version = Survey.by_slug("community-needs").latest_version()
    population = _population()
    comments = yaml.safe_load((DATA / "comments.yaml").read_text(encoding="utf-8"))
    created = 0
    for i in range(RESIDENT_RESPONSES):
        answers, lang = _resident_answers(rng, population, comments)
        clean, errors = check_answers(version.survey_def, answers)
        if errors:
            raise RuntimeError(f"demo resident answer {i} is invalid: {errors}")
        sid = uuid.uuid5(NAMESPACE, f"resident-{i}").hex
        wave_start = FIELDWORK_START.replace(year=RESIDENT_WAVES[i % len(RESIDENT_WAVES)])
        submitted = wave_start + dt.timedelta(hours=3 * (i // len(RESIDENT_WAVES)) + rng.randint(0, 2))
        _id, new = store_response(version, sid, clean, lang=lang, channel="web", consent_given=True,
                                  submitted_at=submitted)
        created += new
    return created


#: Sector pairs that never work together in the demo, so the network report has a gap to show.
NEVER_TIED = {frozenset(("faith", "business")), frozenset(("funder", "resident_association"))}
#: Organisations that neither answer nor get named: the isolates of the demo network.
DEMO_ISOLATES = {"arts_collective", "cycle_club"}
PARTNER_PRIORITY_APPEAL = {"housing": 5, "jobs": 4, "health": 4, "youth": 3, "safety": 2, "transport": 1}


def _seed_partners(rng: random.Random) -> int:
    version = Survey.by_slug("partner-survey").latest_version()
    orgs = {row["id"]: row for row in _rows("stakeholders.csv") if row["id"] not in DEMO_ISOLATES}
    ids = sorted(orgs)
    respondents = [i for i in ids if rng.random() < 0.7]
    created = 0
    for n, org in enumerate(respondents):
        def partners(k: int) -> list[str]:
            options = [o for o in ids if o != org
                       and frozenset((orgs[o]["sector"], orgs[org]["sector"])) not in NEVER_TIED]
            return rng.sample(options, k=min(k, len(options)))
        answers = {
            "organisation": [org], "sector": orgs[org]["sector"],
            "staff_size": rng.choice(["none", "1_10", "11_50", "51_250"]),
            "refers_to": partners(rng.randint(0, 4)), "shares_data_with": partners(rng.randint(0, 2)),
            "joint_programmes_with": partners(rng.randint(0, 2)),
            "funded_by": [f for f in ("community_fdn", "united_way", "health_trust")
                          if f != org and rng.random() < 0.3 and orgs[org]["sector"] != "resident_association"],
            "collaboration_quality": rng.choice(["disagree", "neutral", "agree", "agree", "strongly_agree"]),
            "priorities": sorted(PARTNER_PRIORITY_APPEAL,
                                 key=lambda k: -PARTNER_PRIORITY_APPEAL[k] * rng.uniform(0.5, 1.5)),
        }
        clean, errors = check_answers(version.survey_def, answers, stakeholder_ids=set(orgs) | DEMO_ISOLATES)
        if errors:
            raise RuntimeError(f"demo partner answer {n} is invalid: {errors}")
        sid = uuid.uuid5(NAMESPACE, f"partner-{org}").hex
        submitted = FIELDWORK_START + dt.timedelta(days=n)
        _id, new = store_response(version, sid, clean, lang="en", channel="web", consent_given=True,
                                  submitted_at=submitted)
        created += new
    relationships_from_survey(version.survey_id)  # the demo network; idempotent like the rest
    return created
