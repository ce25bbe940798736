"""Writes for focus groups. Each takes clean values from app.focus_groups.checks, only flushes, and
leaves the one commit to the route, so a request stores all of its change or none of it.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.extensions import db
from app.core.idempotent import add_once, savepoint
from app.models import (
    Contribution, FocusGroup, Mention, Participant, ParticipantAttribute, Relationship, ThemeTag, Vote,
)
from app.tasks.queue import after_commit

log = logging.getLogger("common_ground.facilitate")


def coder_for(user) -> str:
    """The ThemeTag.coder of a person: "user:<id>"."""
    return f"user:{user.id}"


def create_session(clean: dict, user) -> FocusGroup:
    """A new session created by `user`, with its co-facilitators."""
    group = FocusGroup(title=clean["title"], date=clean["date"], place=clean["place"], lang=clean["lang"],
                       host_id=clean["host"], survey_version_id=clean["survey_version"].id,
                       created_by=user.id)
    group.facilitators = [u for u in clean["facilitators"] if u.id != user.id]
    db.session.add(group)
    db.session.flush()
    log.info("focus group %s created by user %s", group.id, user.id)
    return group


def register_participant(group: FocusGroup, clean: dict) -> Participant | None:
    """The participant with their demographics; None if the code was taken by a concurrent request
    (the unique constraint decides; only our insert is undone, in a savepoint)."""
    participant = Participant(focus_group_id=group.id, code=clean["code"], consent_given=True,
                              consent_version=clean.get("consent_version"))
    try:
        with savepoint():
            db.session.add(participant)
    except IntegrityError:
        return None
    db.session.add_all(ParticipantAttribute(participant_id=participant.id, dimension=dimension, category=category)
                       for dimension, category in clean["demographics"].items())
    db.session.flush()
    return participant


def record_contribution(group: FocusGroup, clean: dict, coder: str) -> tuple[int, bool]:
    """Store a contribution and its theme tags unless its client id is stored already.

    Returns ``(contribution id, created)``. Like a survey submission, a concurrent duplicate
    loses the race on the unique client id: only our insert is undone and we answer with the winner's id.
    """
    existing = _contribution_id(clean["client_id"])
    if existing is not None:
        return existing, False
    participant = clean.get("participant")
    contribution = Contribution(client_id=clean["client_id"], focus_group_id=group.id,
                                participant_id=participant.id if participant else None,
                                kind=clean["kind"], text=clean["text"], lang=clean["lang"])
    stored, created = add_once(contribution, lambda: _contribution_id(clean["client_id"]))
    if not created:
        return stored, False
    add_theme_tags(contribution.id, clean["themes"], coder)
    after_commit("tag_texts")  # the automatic tagger reads it once stored (app.tasks)
    return contribution.id, True


def _contribution_id(client_id: str) -> int | None:
    return db.session.scalar(sa.select(Contribution.id).where(Contribution.client_id == client_id))


def add_theme_tags(contribution_id: int, themes: list[str], coder: str) -> int:
    """Tag a contribution with each theme `coder` has not tagged it with yet; returns how many were new."""
    have = set(db.session.scalars(sa.select(ThemeTag.theme).where(
        ThemeTag.contribution_id == contribution_id, ThemeTag.coder == coder)))
    new = [theme for theme in themes if theme not in have]
    db.session.add_all(ThemeTag(contribution_id=contribution_id, theme=theme, coder=coder, status="accepted")
                       for theme in new)
    db.session.flush()
    return len(new)


def record_mention(group: FocusGroup, clean: dict) -> Mention:
    """An organisation named. A form sent again (same client id) is the same mention, and so is
    naming it again in the same contribution; named anew with no contribution, each one counts.
    A concurrent duplicate loses the race on the unique client id, as contributions do."""
    existing = _existing_mention(clean)
    if existing is not None:
        return existing
    contribution = clean.get("contribution")
    mention = Mention(focus_group_id=group.id, stakeholder_id=clean["stakeholder"], client_id=clean.get("client_id"),
                      contribution_id=contribution.id if contribution else None)
    stored_id, created = add_once(mention, lambda: getattr(_existing_mention(clean), "id", None))
    return mention if created else db.session.get(Mention, stored_id)


def _existing_mention(clean: dict) -> Mention | None:
    if clean.get("client_id"):  # checked to be this session's, or new
        found = db.session.scalar(sa.select(Mention).where(Mention.client_id == clean["client_id"]))
        if found is not None:
            return found
    contribution = clean.get("contribution")
    if contribution is None:
        return None
    return db.session.scalar(sa.select(Mention).where(
        Mention.contribution_id == contribution.id, Mention.stakeholder_id == clean["stakeholder"]))


def record_relationship(group: FocusGroup, clean: dict) -> Relationship:
    """A tie mentioned in the session, dated the session's day, with focus_group provenance. The
    same tie mentioned again in the session is kept once: it is one tie, however often it is named."""
    existing = db.session.scalar(sa.select(Relationship).where(
        Relationship.focus_group_id == group.id, Relationship.provenance == "focus_group",
        Relationship.source_id == clean["source"], Relationship.target_id == clean["target"],
        Relationship.type == clean["type"]))
    if existing is not None:
        return existing
    tie = Relationship(source_id=clean["source"], target_id=clean["target"], type=clean["type"],
                       date=group.date, provenance="focus_group", focus_group_id=group.id)
    db.session.add(tie)
    db.session.flush()
    return tie


def set_dot_votes(group: FocusGroup, dots: dict[str, int]) -> bool:
    """Set the session's dot count for each priority given (a recount replaces, a retry changes
    nothing); returns True if any priority had no count before."""
    rows = {v.priority: v for v in db.session.scalars(sa.select(Vote).where(
        Vote.focus_group_id == group.id, Vote.participant_id.is_(None), Vote.priority.in_(list(dots))))}
    for priority, count in dots.items():
        if priority in rows:
            rows[priority].votes = count
        else:
            db.session.add(Vote(focus_group_id=group.id, priority=priority, votes=count))
    db.session.flush()
    return any(priority not in rows for priority in dots)


def set_ranking(group: FocusGroup, participant: Participant, ranking: list[str]) -> bool:
    """Replace the participant's ranking (rank 1 = most important); returns True if they had none."""
    had = db.session.execute(sa.delete(Vote).where(
        Vote.focus_group_id == group.id, Vote.participant_id == participant.id)).rowcount
    db.session.add_all(Vote(focus_group_id=group.id, participant_id=participant.id, priority=priority, rank=rank)
                       for rank, priority in enumerate(ranking, start=1))
    db.session.flush()
    return not had
