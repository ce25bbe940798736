"""Shared set-up for the indicator tests: indicator files written for a test, responses at
chosen times with chosen answers."""
from __future__ import annotations

import datetime as dt
import itertools
import textwrap
import uuid
from pathlib import Path

from app.core.extensions import db
from app.indicators.loader import load_indicators
from app.models import PopulationBaseline, Response, Survey
from app.responses.submission import store_response
from tests.conftest import SURVEYS_DIR

_serial = itertools.count()


def write_indicator(folder: Path, key: str, body: str) -> Path:
    path = folder / f"{key}.yaml"
    path.write_text(f"key: {key}\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def load(app, folder: Path) -> None:
    with app.app_context():
        load_indicators(folder, SURVEYS_DIR)


def add_response(app, when: str, answers: dict, *, withdrawn: bool = False) -> int:
    """A community-needs response submitted at `when` (YYYY-MM-DD) with already-clean answers."""
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        response_id, _new = store_response(version, f"t-{uuid.uuid4().hex}", answers, lang="en", channel="web",
                                           consent_given=True,
                                           submitted_at=dt.datetime.fromisoformat(when) + dt.timedelta(
                                               seconds=next(_serial)))
        if withdrawn:
            db.session.get(Response, response_id).withdrawn_at = dt.datetime(2030, 1, 1)
        db.session.commit()
        return response_id


def add_many(app, when: str, answers: dict, n: int, **kw) -> None:
    for _ in range(n):
        add_response(app, when, answers, **kw)


def add_baseline(app, geography: str, dimension: str, figures: dict[str, int]) -> None:
    with app.app_context():
        for category, population in figures.items():
            db.session.add(PopulationBaseline(geography=geography, dimension=dimension, category=category,
                                              population=population, year=2024, source="test"))
        db.session.commit()
