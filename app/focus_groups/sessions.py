"""A focus-group session as the facilitate pages and the API see it: who may work on it, and what
its survey version gives it (demographic questions, consent wording, the priorities to vote on).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort

from app.core.access import can
from app.core.extensions import db
from app.core.vocabulary import PRIORITIES_KEY  # the ranking question whose choices a session votes on
from app.models import FocusGroup, Participant, SurveyVersion
from app.models.focus_groups import facilitators_table
from app.surveydef.model import Question, SurveyDef

#: The survey a new session uses unless another is chosen (DESIGN.md: community needs).
DEFAULT_SURVEY = "community-needs"
#: Anonymous participant codes: short, no spaces, so they can be read aloud and typed fast.
CODE_PATTERN = re.compile(r"^[A-Z0-9_-]{1,20}$")
#: Suggested codes are P1, P2 …; a code of this shape counts when picking the next number.
SUGGESTED_CODE = re.compile(r"^P(\d{1,6})$")


@dataclass
class SessionContext:
    """What validation and pages need to know about one session, read once per request."""

    group: FocusGroup
    survey: SurveyDef | None
    #: The survey's demographic (dimension) single-choice questions, in survey order.
    dimensions: list[Question] = field(default_factory=list)
    #: The survey's priorities ranking question, if it has one.
    priorities: Question | None = None

    @property
    def dimension_choices(self) -> dict[str, tuple[str, ...]]:
        """{dimension: allowed category values}."""
        return {q.dimension: q.choice_values for q in self.dimensions}

    @property
    def priority_values(self) -> tuple[str, ...]:
        return self.priorities.choice_values if self.priorities else ()

    @property
    def consent_version(self) -> int | None:
        return self.survey.consent_version if self.survey else None


def session_context(group: FocusGroup) -> SessionContext:
    """The session with the questions of its survey version picked out."""
    version = db.session.get(SurveyVersion, group.survey_version_id) if group.survey_version_id else None
    survey = version.survey_def if version else None
    if survey is None:
        return SessionContext(group, None)
    dimensions = [q for q in survey.questions if q.dimension and q.type == "single_choice"]
    priorities = survey.question(PRIORITIES_KEY)
    if priorities is not None and priorities.type != "ranking":
        priorities = None
    return SessionContext(group, survey, dimensions, priorities)


def may_work_on(group: FocusGroup, user) -> bool:
    """Admins work on every session; a facilitator on the ones they created or co-facilitate."""
    if user is None:
        return False
    if can("see_all_focus_groups", user):
        return True
    return group.created_by == user.id or any(f.id == user.id for f in group.facilitators)


def session_for(group_id: int, user) -> FocusGroup:
    """The session, or 404 if there is none and 403 if `user` may not work on it."""
    group = db.session.get(FocusGroup, group_id)
    if group is None:
        abort(404)
    if not may_work_on(group, user):
        abort(403)
    return group


def visible_sessions(user) -> list[FocusGroup]:
    """Sessions `user` may see, newest date first."""
    query = sa.select(FocusGroup).order_by(FocusGroup.date.desc(), FocusGroup.id.desc())
    if not can("see_all_focus_groups", user):
        co_facilitated = sa.select(facilitators_table.c.focus_group_id).where(facilitators_table.c.user_id == user.id)
        query = query.where(sa.or_(FocusGroup.created_by == user.id, FocusGroup.id.in_(co_facilitated)))
    return list(db.session.scalars(query))


def normalise_code(code) -> str:
    """Participant codes are compared upper-cased and trimmed: "p3 " is P3. Anything that cannot
    be a code (not text, NUL characters, too long) becomes "", which matches nobody."""
    if not isinstance(code, str) or "\x00" in code or len(code) > 100:
        return ""
    return code.strip().upper()


def participant_by_code(group: FocusGroup, code) -> Participant | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(Participant).where(
        Participant.focus_group_id == group.id, Participant.code == code))


def next_participant_code(group: FocusGroup) -> str:
    """P<n+1> after the highest P<n> used in the session (withdrawn codes stay used)."""
    codes = db.session.scalars(sa.select(Participant.code).where(Participant.focus_group_id == group.id))
    numbers = [int(m.group(1)) for m in map(SUGGESTED_CODE.match, codes) if m]
    return f"P{max(numbers, default=0) + 1}"


def survey_versions() -> list[SurveyVersion]:
    """The newest version of every loaded survey: what a new session can use."""
    from app.surveys.loader import latest_versions
    return latest_versions()
