"""Ties from partner-survey responses: "who do you work with" answers become Relationship rows.

A survey whose stakeholders question has `relationship: self` names the respondent's own
organisation; every other stakeholders question with a relationship type records one tie from
that organisation to each organisation picked. Only flushes; the caller commits.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Relationship, Response, Stakeholder, SurveyVersion
from app.responses.submission import answers_from_rows

#: The provenance of ties made from a response.
PROVENANCE = "response"
#: The weight of one reported tie; the network report adds weights up.
RESPONSE_TIE_WEIGHT = 1.0


def _tie_questions(survey) -> tuple[list[str], list[tuple[str, str]]]:
    """The keys of the `self` questions, and (key, relationship type) of the tie questions."""
    selves, ties = [], []
    for q in survey.questions:
        if q.type != "stakeholders" or not q.relationship:
            continue
        if q.relationship == "self":
            selves.append(q.key)
        else:
            ties.append((q.key, q.relationship))
    return selves, ties


def relationships_from_response(version: SurveyVersion, response_id: int, clean_answers: dict) -> int:
    """Record the ties a response reports; returns how many were created.

    Idempotent: a tie this response already recorded (same source, target and type) is not made
    again. Nothing happens when the survey has no `self` question or it was not answered. A
    picked organisation that has left the registry since the answer was checked is skipped.
    """
    selves, ties = _tie_questions(version.survey_def)
    if not selves or not ties:
        return 0  # the resident survey: no query at all on the submission path
    sources = [s for key in selves for s in clean_answers.get(key) or ()]
    wanted = [(source, target, kind) for source in sources for key, kind in ties
              for target in clean_answers.get(key) or () if target != source]
    if not wanted:
        return 0
    named = {id_ for triple in wanted for id_ in triple[:2]}
    known = set(db.session.scalars(sa.select(Stakeholder.id).where(Stakeholder.id.in_(named))))
    have = set(db.session.execute(sa.select(Relationship.source_id, Relationship.target_id, Relationship.type)
                                  .where(Relationship.response_id == response_id)).all())
    submitted = db.session.scalar(sa.select(Response.submitted_at).where(Response.id == response_id))
    created = 0
    for source, target, kind in dict.fromkeys(wanted):  # keeps order, drops repeats
        if (source, target, kind) in have or source not in known or target not in known:
            continue
        db.session.add(Relationship(source_id=source, target_id=target, type=kind, weight=RESPONSE_TIE_WEIGHT,
                                    date=submitted.date() if submitted else None, provenance=PROVENANCE,
                                    response_id=response_id))
        have.add((source, target, kind))
        created += 1
    db.session.flush()
    return created


def relationships_from_survey(survey_id: int) -> int:
    """Record the ties of every stored, not withdrawn response to a survey (each read with the
    version it answered); returns how many were created. Idempotent, like the function above."""
    versions = {v.id: v for v in
                db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id == survey_id))}
    if not any(_tie_questions(v.survey_def)[0] for v in versions.values()):
        return 0
    responses = db.session.execute(sa.select(Response.id, Response.survey_version_id).where(
        Response.survey_id == survey_id, Response.counted()).order_by(Response.id)).all()
    rows_by_response: dict[int, list] = {}
    for answer in db.session.scalars(sa.select(Answer).join(Response).where(
            Response.survey_id == survey_id, Response.counted())):
        rows_by_response.setdefault(answer.response_id, []).append(answer)
    created = 0
    for response_id, version_id in responses:
        version = versions[version_id]
        answers = answers_from_rows(version.survey_def, rows_by_response.get(response_id, []))
        created += relationships_from_response(version, response_id, answers)
    return created
