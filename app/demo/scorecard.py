"""The demo's shared measurement, beyond the indicator files: partners' performance measures with
three years of quarterly reports (some late, one missing), one action with its story behind the
curve, and a published "you said, we did" page. Deterministic and idempotent, like the rest of
the demo: a second run adds nothing."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.core.extensions import db
from app.models import (
    CurveStory, Indicator, IndicatorAction, IndicatorValue, MeasureReport, PartnerMeasure, Publication,
)
from app.scorecard.periods import due_date, previous

#: The food bank's monthly returns: households reached per neighbourhood in January 2024, and
#: how many more each month (the programme opened a second Eastfield site in 2025).
FOOD_START = {"eastfield": 150, "northgate": 80, "riverside": 62, "old_town": 50, "southbank": 48, "hillcrest": 20}
FOOD_GROWTH = {"eastfield": 3.0, "northgate": 1.2, "riverside": 0.8, "old_town": 0.5, "southbank": 0.6, "hillcrest": 0.1}
FOOD_MONTHS = ("2024-01", "2026-10")
FOOD_SOURCE = "Riverton Food Bank, monthly returns"

#: (partner, title, kind, unit, target, indicator it serves, first quarter's value, growth per quarter)
MEASURES = (
    ("rfb", "Households given a food parcel", "how_much", "households", 600, "households_fed", 410, 14),
    ("rfb", "Parcels handed out within 15 minutes of arrival", "how_well", "percent", 90, None, 71, 1.2),
    ("rfb", "Families who say they skip fewer meals", "better_off", "percent", 60, "households_fed", 38, 1.5),
    ("somali_assoc", "Residents accompanied to a service in their language", "how_much", "people", 150, None, 60, 6),
)
#: The demo's reporting: quarters 2024-Q1 … 2026-Q3; every fifth report late, the newest Somali one missing.
FIRST, LAST = "2024-Q1", "2026-Q3"
LATE_EVERY = 5
ACTION = {"indicator_key": "feel_safe", "title": "Brighter lighting at the station underpass and Eastfield park",
          "owner_id": "city_parks", "start_date": dt.date(2026, 3, 1), "end_date": dt.date(2027, 3, 31),
          "status": "in_progress",
          "notes": "Residents named both places again and again. Parks fits the lights; the tenants' union walks "
                   "the route with them each month."}
STORY = {"indicator_key": "feel_safe", "period": "2026", "theme_keys": ["safety", "street_lighting"],
         "text": "Fewer residents feel safe after dark in Eastfield than anywhere else, and older residents least "
                 "of all. They point to the same few dark places: the underpass by the station and the park at "
                 "night.\n\nLighting is the change people ask for most, so that is where partners start."}
PUBLISHED = {"indicator": ("feel_safe", "households_fed", "bus_access", "recommend_neighbourhood"),
             "theme": ("housing", "safety", "street_lighting", "buses", "jobs")}


def seed_indicators(surveys_dir: str) -> tuple[int, int]:
    """Load surveys/indicators/ (a second run stores nothing: same files, same hashes) and the food
    bank's reported values; (indicator versions stored, values stored)."""
    from pathlib import Path

    from app.indicators.loader import load_indicators
    from app.indicators.reported import Catalogue, check_value_records, store_values
    results = load_indicators(Path(surveys_dir) / "indicators", surveys_dir)
    indicator = Indicator.by_key("households_fed")
    if indicator is None or db.session.scalar(sa.select(IndicatorValue.id).where(
            IndicatorValue.indicator_id == indicator.id).limit(1)):
        return sum(r.created for r in results), 0
    months = previous(FOOD_MONTHS[1], "month", 34)  # 2024-01 … 2026-10
    records = []
    for m, period in enumerate(months):
        wobble = (-6, 2, 5, -1, 3, -4)[m % 6]  # month-to-month noise, the same on every run
        cells = {n: round(FOOD_START[n] + FOOD_GROWTH[n] * m + wobble * FOOD_START[n] / 400 * 4) for n in FOOD_START}
        records.append({"indicator": "households_fed", "period": period, "value": str(sum(cells.values())),
                        "source": FOOD_SOURCE})
        records += [{"indicator": "households_fed", "period": period, "dimension": "neighbourhood", "category": n,
                     "value": str(v), "source": FOOD_SOURCE} for n, v in cells.items()]
    clean, errors = check_value_records(list(enumerate(records, start=1)), Catalogue.current())
    if errors:
        raise RuntimeError(f"demo indicator values are invalid: {errors[:3]}")
    store_values(clean, via="csv")
    # The food bank sent these returns itself: mark them partner-reported, as its own upload would be.
    db.session.execute(sa.update(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
                       .values(partner_id="rfb"))
    return sum(r.created for r in results), len(clean)


def seed_scorecard(indicator_keys: set[str]) -> dict[str, int]:
    """Add what is missing; {what: how many new}. `indicator_keys`: the indicators loaded, so the
    demo never links to one that is not there."""
    measures, reports = _measures(indicator_keys)
    action, new_action = _action() if ACTION["indicator_key"] in indicator_keys else (None, False)
    story = _story() if STORY["indicator_key"] in indicator_keys else 0
    published = _publish(indicator_keys, action)
    db.session.flush()
    return {"measures": measures, "reports": reports, "actions": int(new_action),
            "stories": story, "published": published}


def _measures(indicator_keys: set[str]) -> tuple[int, int]:
    quarters = previous(LAST, "quarter", 11)  # FIRST … LAST
    new_measures = new_reports = 0
    for index, (partner, title, kind, unit, target, serves, start, growth) in enumerate(MEASURES):
        measure = db.session.scalar(sa.select(PartnerMeasure).where(PartnerMeasure.stakeholder_id == partner,
                                                                    PartnerMeasure.title == title))
        if measure is None:
            measure = PartnerMeasure(stakeholder_id=partner, title=title, kind=kind, unit=unit, frequency="quarter",
                                     target=target, indicator_key=serves if serves in indicator_keys else None)
            db.session.add(measure)
            db.session.flush()
            new_measures += 1
        done = set(db.session.scalars(sa.select(MeasureReport.period).where(MeasureReport.measure_id == measure.id)))
        for q, period in enumerate(quarters):
            if period in done or (partner == "somali_assoc" and period == LAST):
                continue
            late = (q + index) % LATE_EVERY == 0
            due = due_date(period, "quarter")
            reported = due + dt.timedelta(days=9 if late else -12)
            value = round(start + growth * q + (3 if q % 2 else -2), 1)
            db.session.add(MeasureReport(measure_id=measure.id, period=period, value=value,
                                         reported_at=dt.datetime.combine(reported, dt.time(10, 0))))
            new_reports += 1
    return new_measures, new_reports


def _action() -> tuple[IndicatorAction, bool]:
    action = db.session.scalar(sa.select(IndicatorAction).where(IndicatorAction.indicator_key == ACTION["indicator_key"],
                                                                IndicatorAction.title == ACTION["title"]))
    if action is not None:
        return action, False
    action = IndicatorAction(**ACTION)
    db.session.add(action)
    return action, True


def _story() -> int:
    exists = db.session.scalar(sa.select(CurveStory.id).where(CurveStory.indicator_key == STORY["indicator_key"],
                                                              CurveStory.period == STORY["period"]))
    if exists:
        return 0
    db.session.add(CurveStory(**STORY, quotes=[]))
    return 1


def _publish(indicator_keys: set[str], action: IndicatorAction | None) -> int:
    db.session.flush()
    wanted = [("indicator", key) for key in PUBLISHED["indicator"] if key in indicator_keys]
    wanted += [("theme", key) for key in PUBLISHED["theme"]]
    if action is not None:
        wanted.append(("action", str(action.id)))
    have = set(map(tuple, db.session.execute(sa.select(Publication.kind, Publication.key))))
    new = [Publication(kind=kind, key=key) for kind, key in wanted if (kind, key) not in have]
    db.session.add_all(new)
    return len(new)
