"""Survey-based indicator values kept per process, keyed by everything they are computed from.

A scorecard reads every indicator; recomputing each from 100,000 responses on every view costs
seconds, while the data behind it changes only when a response arrives or is withdrawn, a survey
or baseline is loaded, or the geography mapping changes. So a computed result is kept under a
key holding the indicator's definition, the filters, and a stamp of that data read at the start
of the request (one indexed query per survey): any change to the data changes the stamp, and the
next view computes afresh. Nothing is ever served stale, nothing needs clearing, and every app
process keeps its own (the stamp is read from the shared database).
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable

import sqlalchemy as sa

from app.core.extensions import db
from app.models import PopulationBaseline, Response, SurveyVersion
from app.reporting.scope import configured_mapping

#: Results kept per process: a scorecard of 50 indicators with a few filters, several times over
#: (each a few kilobytes: estimates per period, never the answer rows).
MAX_KEPT = 1024

_kept: OrderedDict = OrderedDict()


def survey_stamp(survey_id: int) -> tuple:
    """What a survey's indicator values depend on: its responses (how many, the newest, how many
    withdrawn and the latest withdrawal), its versions, the baselines and the geography mapping."""
    responses = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(Response.id), sa.func.count(Response.withdrawn_at),
                  sa.func.max(Response.withdrawn_at)).where(Response.survey_id == survey_id)).one()
    versions = db.session.scalar(sa.select(sa.func.max(SurveyVersion.id)).where(SurveyVersion.survey_id == survey_id))
    baselines = db.session.execute(sa.select(sa.func.count(), sa.func.max(PopulationBaseline.id),
                                             sa.func.sum(PopulationBaseline.population))).one()
    mapping = json.dumps(configured_mapping(), sort_keys=True)
    return (*(str(v) for v in responses), versions, *baselines, mapping)


def kept(key: tuple, compute: Callable[[], object]):
    """The value kept under `key`, else `compute()`'s, kept (least recently used goes first)."""
    if key in _kept:
        _kept.move_to_end(key)
        return _kept[key]
    value = compute()
    _kept[key] = value
    if len(_kept) > MAX_KEPT:
        _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop everything kept (for tests and benchmarks that time a cold computation)."""
    _kept.clear()
