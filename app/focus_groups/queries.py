"""Focus-group data for the reports, as plain values they can pool with survey responses.

Every function here leaves withdrawn participants out (Participant.counted), with their
demographics and votes. `filters` narrows the sessions, either a
:class:`FocusGroupFilters` or a dict of the same names; None means every session:

- ``focus_groups``: session ids
- ``survey``: the slug of the survey whose demographic questions the session used
- ``since`` / ``until``: session dates (inclusive), ``datetime.date`` or ``YYYY-MM-DD``
- ``host``: the hosting organisation's stakeholder id
- ``lang``: the language the session was held in
- ``channels``: the response channels a report pools; focus-group data is channel
  ``focus_group``, so anything without it gets nothing here
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from app.core.extensions import db
from app.core.vocabulary import PRIORITIES_KEY
from app.models import FocusGroup, Participant, ParticipantAttribute, Survey, SurveyVersion, Vote

#: The response channel focus-group data pools under (app.models.responses.CHANNELS).
CHANNEL = "focus_group"

__all__ = ["CHANNEL", "FocusGroupFilters", "participant_dimension_counts", "vote_rankings"]


@dataclass(frozen=True)
class FocusGroupFilters:
    focus_groups: tuple[int, ...] | None = None
    survey: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    host: str | None = None
    lang: str | None = None
    channels: tuple[str, ...] | None = None

    @classmethod
    def of(cls, filters) -> FocusGroupFilters:
        """Filters from None, a dict of the field names, or an instance."""
        if filters is None:
            return cls()
        if isinstance(filters, cls):
            return filters
        values = dict(filters)
        for name in ("since", "until"):
            if isinstance(values.get(name), str):
                values[name] = dt.date.fromisoformat(values[name])
        for name in ("focus_groups", "channels"):
            if values.get(name) is not None:
                values[name] = tuple(values[name])
        return cls(**values)


def _session_ids(filters) -> sa.Select:
    """The ids of the sessions `filters` keep, as a subquery for IN (...)."""
    f = FocusGroupFilters.of(filters)
    query = sa.select(FocusGroup.id)
    if f.channels is not None and CHANNEL not in f.channels:
        return query.where(sa.false())
    if f.focus_groups is not None:
        query = query.where(FocusGroup.id.in_(f.focus_groups))
    if f.survey is not None:
        query = query.where(FocusGroup.survey_version_id.in_(
            sa.select(SurveyVersion.id).join(Survey).where(Survey.slug == f.survey)))
    if f.since is not None:
        query = query.where(FocusGroup.date >= f.since)
    if f.until is not None:
        query = query.where(FocusGroup.date <= f.until)
    if f.host is not None:
        query = query.where(FocusGroup.host_id == f.host)
    if f.lang is not None:
        query = query.where(FocusGroup.lang == f.lang)
    return query


def _active_participant_ids(filters) -> sa.Select:
    return sa.select(Participant.id).where(Participant.focus_group_id.in_(_session_ids(filters)),
                                           Participant.counted())


def participant_dimension_counts(filters=None) -> dict[str, dict[str, int]]:
    """``{dimension: {category: n}}`` over participants not withdrawn (channel focus_group).

    Examples
    --------
    ``{"age_band": {"25_44": 2, "65_plus": 1}, "gender": {"woman": 2, "man": 1}}``
    """
    rows = db.session.execute(
        sa.select(ParticipantAttribute.dimension, ParticipantAttribute.category, sa.func.count())
        .where(ParticipantAttribute.participant_id.in_(_active_participant_ids(filters)))
        .group_by(ParticipantAttribute.dimension, ParticipantAttribute.category)
        .order_by(ParticipantAttribute.dimension, ParticipantAttribute.category))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for dimension, category, n in rows:
        counts[dimension][category] = n
    return dict(counts)


def vote_rankings(filters=None) -> list[dict]:
    """One ``{priority: rank}`` per participant ranking (rank 1 = most important; only what they
    ranked) and per session's dot vote (``analysis.alignment.dot_votes_to_ranking``: most dots
    first, ties share the mean rank, and every priority of the session's survey that got no dots
    tied last). Sessions in date order;
    in each, participants in the order they were registered, then the dot vote. Withdrawn
    participants' rankings are left out."""
    rows = db.session.execute(
        sa.select(Vote.focus_group_id, Vote.participant_id, Vote.priority, Vote.votes, Vote.rank)
        .join(FocusGroup, FocusGroup.id == Vote.focus_group_id)
        .where(Vote.focus_group_id.in_(_session_ids(filters)),
               sa.or_(Vote.participant_id.is_(None), Vote.participant_id.in_(_active_participant_ids(filters))))
        # Within a session: participants in registration order, then the dot vote (NULLs sort
        # first on SQLite and last on PostgreSQL, so say where they go).
        .order_by(FocusGroup.date, FocusGroup.id, sa.case((Vote.participant_id.is_(None), 1), else_=0),
                  Vote.participant_id, Vote.rank, Vote.priority))
    rankings: dict[tuple[int, int | None], dict] = {}
    for group_id, participant_id, priority, votes, rank in rows:
        entry = rankings.setdefault((group_id, participant_id), {})
        entry[priority] = votes if participant_id is None else rank
    if not rankings:
        return []
    # Imported here: analysis.alignment brings in scipy.stats, which takes a second to load.
    from analysis.alignment import dot_votes_to_ranking
    priorities = _session_priorities({group for group, participant in rankings if participant is None})
    return [dot_votes_to_ranking(values, items=_board(values, priorities.get(group, ())))
            if participant_id is None else values
            for (group, participant_id), values in rankings.items()]


def _board(dots: dict, priorities: tuple[str, ...]) -> list[str]:
    """Every priority of the session's survey, plus any voted key a newer survey version dropped."""
    return list(priorities) + [key for key in dots if key not in priorities]


def _session_priorities(group_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """{session id: the choice values of its survey's priorities ranking}."""
    found = {}
    if group_ids:
        for group_id, version in db.session.execute(
                sa.select(FocusGroup.id, SurveyVersion)
                .join(SurveyVersion, SurveyVersion.id == FocusGroup.survey_version_id)
                .where(FocusGroup.id.in_(group_ids))):
            question = version.survey_def.question(PRIORITIES_KEY)
            found[group_id] = question.choice_values if question is not None else ()
    return found
