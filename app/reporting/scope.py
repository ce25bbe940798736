"""Who a report counts: respondents in the chosen geography, people rather than organisations.

A population baseline is kept per geography (`city`, `eastfield`, …). Choosing a geography swaps
in its population *and* keeps only the respondents who live there, read from their answer on
the `neighbourhood` dimension:

* by default a geography whose key is a neighbourhood category (`eastfield`) holds the people
  who answered that category, and a geography that is no neighbourhood (`city`) holds everyone;
* config `GEOGRAPHY_NEIGHBOURHOODS` ({geography: [neighbourhood categories]}, or the same as
  JSON in the environment variable of that name) says it for geographies made of several
  neighbourhoods or named otherwise. A geography mapped there to an empty list holds everyone.

People who did not say where they live, or preferred not to, are counted only in geographies
that hold everyone. Partner surveys are answered by organisations, so reports that compare
people with a population (ReportFilters.people_only) leave them out.
"""
from __future__ import annotations

import json
import os

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from sqlalchemy.dialects.postgresql import JSONB

from app.core.extensions import db
from app.models import Participant, ParticipantAttribute, Response

#: The demographic dimension that says where a respondent lives.
GEOGRAPHY_DIMENSION = "neighbourhood"
#: Config key (and environment variable) of the geography → neighbourhood categories mapping.
MAPPING_SETTING = "GEOGRAPHY_NEIGHBOURHOODS"
PARTNER_KIND = "partner"


def configured_mapping() -> dict[str, list[str]]:
    """{geography: [neighbourhood categories]} from the app config, else the environment."""
    mapping = current_app.config.get(MAPPING_SETTING)
    if mapping is None and os.environ.get(MAPPING_SETTING):
        mapping = json.loads(os.environ[MAPPING_SETTING])
    return {str(k): [str(c) for c in v] for k, v in (mapping or {}).items()}


def _neighbourhoods() -> set[str]:
    """Every neighbourhood category of the loaded surveys (once per request)."""
    cached = g.get("_cg_neighbourhoods") if has_request_context() else None
    if cached is None:
        from app.reporting.population import known_categories
        cached = known_categories().get(GEOGRAPHY_DIMENSION, set())
        if has_request_context():
            g._cg_neighbourhoods = cached
    return cached


def geography_categories(geography: str | None) -> list[str] | None:
    """The neighbourhood categories whose respondents live in `geography`; None for everyone."""
    if not geography:
        return None
    mapping = configured_mapping()
    if geography in mapping:
        return sorted(mapping[geography]) or None
    return [geography] if geography in _neighbourhoods() else None


def response_geography_condition(geography: str | None, pattern: sa.ColumnElement | None = None) -> list:
    """SQL conditions on Response keeping those who live in `geography` (none: everyone);
    `pattern`: another column holding the response's pattern (TextAnswer.demographics)."""
    categories = geography_categories(geography)
    if categories is None:
        return []
    return [stored_category(GEOGRAPHY_DIMENSION, pattern).in_(categories)]


def participant_geography_condition(geography: str | None) -> list:
    """The same for focus-group participants, from their recorded neighbourhood."""
    categories = geography_categories(geography)
    if categories is None:
        return []
    lives_there = (sa.select(ParticipantAttribute.participant_id)
                   .where(ParticipantAttribute.dimension == GEOGRAPHY_DIMENSION,
                          ParticipantAttribute.category.in_(categories)))
    return [Participant.id.in_(lives_there)]


def is_partner_survey(survey) -> bool:
    version = survey.latest_version()
    return version is not None and version.survey_def.kind == PARTNER_KIND


def people_surveys(surveys: list) -> list:
    """The surveys whose respondents are people (every survey but partner surveys)."""
    return [s for s in surveys if not is_partner_survey(s)]


def stored_category(dimension: str, pattern: sa.ColumnElement | None = None) -> sa.ColumnElement:
    """SQL for the category a response's stored pattern gives on `dimension` (NULL for none): one
    lookup in the response's own row, where a join to its answers costs a GROUP BY over them.
    `pattern`: a copy of the pattern in another table (TextAnswer.demographics); Response's by default."""
    pattern = Response.demographics if pattern is None else pattern
    if db.engine.dialect.name == "postgresql":
        return sa.cast(pattern, JSONB)[dimension].astext
    return sa.func.json_extract(pattern, f'$."{dimension}"')
