"""What a session has recorded, read for the session page: each section shows its own records
(contributions under Themes, organisations and ties under Organisations, rankings under
Priorities) and the closing section counts them all. Withdrawn participants' words and votes are
left out, as in every report.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.core.extensions import db
from app.core.vocabulary import MACHINE_CODERS  # the page shows what people tagged
from app.focus_groups import forms as f
from app.models import Contribution, Mention, Participant, Relationship, ThemeTag, Vote

#: How much of a contribution the mention picker shows.
SNIPPET = 60


@dataclass
class Summary:
    """Counts for the closing section."""

    participants: int
    withdrawn: int
    contributions: int
    mentions: int
    ties: int
    dots: int
    rankings: int


def tag_form(contribution_id: int, formdata=None):
    return f.TagForm(prefix=f"t{contribution_id}", formdata=formdata)


def kept(group):
    """Contributions of the session that count: nobody's, or an active participant's."""
    withdrawn = sa.select(Participant.id).where(Participant.focus_group_id == group.id,
                                                Participant.withdrawn_at.is_not(None))
    return sa.and_(Contribution.focus_group_id == group.id,
                   sa.or_(Contribution.participant_id.is_(None), Contribution.participant_id.not_in(withdrawn)))


def recent_contributions(group) -> list[tuple[str, str]]:
    """(id, "#id: the first words") for the mention form's picker, newest first."""
    rows = db.session.execute(sa.select(Contribution.id, Contribution.text).where(kept(group))
                              .order_by(Contribution.id.desc()))
    return [(str(cid), _("#%(id)s: %(text)s", id=cid, text=_snippet(text))) for cid, text in rows]


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"


def contribution_items(group, codes: dict[int, str], themes) -> list[dict]:
    """Notes and quotes, newest first, each with the themes people gave it and a form to add one."""
    labels = {th.key: th.label for th in themes}
    contributions = db.session.scalars(sa.select(Contribution).where(kept(group))
                                       .order_by(Contribution.created_at.desc(), Contribution.id.desc())).all()
    tags: dict[int, list[str]] = {}
    for cid, theme in db.session.execute(sa.select(ThemeTag.contribution_id, ThemeTag.theme).distinct().where(
            ThemeTag.contribution_id.in_([c.id for c in contributions]), ThemeTag.status == "accepted",
            ThemeTag.coder.not_in(MACHINE_CODERS)).order_by(ThemeTag.theme)):
        tags.setdefault(cid, []).append(labels.get(theme, theme))
    return [{"id": c.id, "at": c.created_at, "text": c.text, "kind": c.kind, "lang": c.lang,
             "code": codes.get(c.participant_id), "themes": tags.get(c.id, []),
             "tag_form": _tag_form_with_choices(c.id, themes)} for c in contributions]


def _tag_form_with_choices(contribution_id: int, themes):
    form = tag_form(contribution_id)
    form.theme.choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(th.key, th.label) for th in themes]
    return form


def organisation_items(group, stakeholders: dict[str, str]) -> list[dict]:
    """Organisations named and ties described, newest first (a mention on a withdrawn
    participant's words goes with them)."""
    kept_ids = set(db.session.scalars(sa.select(Contribution.id).where(kept(group))))

    def name(key: str) -> str:
        return stakeholders.get(key, key)

    items = [{"type": "mention", "at": m.created_at, "id": m.id, "name": name(m.stakeholder_id),
              "contribution": m.contribution_id}
             for m in db.session.scalars(sa.select(Mention).where(Mention.focus_group_id == group.id))
             if m.contribution_id is None or m.contribution_id in kept_ids]
    items += [{"type": "relationship", "at": r.created_at, "id": r.id, "source": name(r.source_id),
               "target": name(r.target_id), "kind": f.RELATIONSHIP_LABELS.get(r.type, r.type)}
              for r in db.session.scalars(sa.select(Relationship).where(Relationship.focus_group_id == group.id))]
    return sorted(items, key=lambda i: (i["at"], i["type"], i["id"]), reverse=True)


def dot_counts(group) -> dict[str, int]:
    """{priority: dots} of the room's dot vote."""
    return dict(db.session.execute(sa.select(Vote.priority, Vote.votes).where(
        Vote.focus_group_id == group.id, Vote.participant_id.is_(None))).all())


def ranking_items(group, label, codes: dict[int, str], withdrawn: set[int]) -> list[dict]:
    """Each active participant's ranking (labels by `label(priority)`), most recent first."""
    votes = db.session.scalars(sa.select(Vote).where(Vote.focus_group_id == group.id,
                                                     Vote.participant_id.is_not(None))
                               .order_by(Vote.participant_id, Vote.rank, Vote.id)).all()
    rankings: dict[int, list] = {}
    for v in votes:
        if v.participant_id not in withdrawn:
            rankings.setdefault(v.participant_id, []).append(v)
    items = [{"at": max(v.created_at for v in rows), "id": pid, "code": codes.get(pid),
              "ranking": [label(v.priority) for v in rows]} for pid, rows in rankings.items()]
    return sorted(items, key=lambda i: (i["at"], i["id"]), reverse=True)


def summary(participants: list[dict], contributions: list, organisations: list[dict], dots: dict,
            rankings: list) -> Summary:
    withdrawn = sum(1 for p in participants if p["withdrawn"])
    return Summary(participants=len(participants) - withdrawn, withdrawn=withdrawn,
                   contributions=len(contributions),
                   mentions=sum(1 for i in organisations if i["type"] == "mention"),
                   ties=sum(1 for i in organisations if i["type"] == "relationship"),
                   dots=sum(dots.values()), rankings=len(rankings))
