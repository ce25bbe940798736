"""The session page: every form drawn fresh (or as posted, with its errors), the participants,
and the feed of what has been recorded, newest first.

Participant questions, consent wording and priorities are in the SESSION's language (the
participants read them); the rest of the page is in the facilitator's language.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.facilitate import forms as f
from app.facilitate.sessions import SessionContext, next_participant_code
from app.facilitate.themes import theme_choices
from app.localize import translator
from app.models import (
    Contribution, Mention, Participant, ParticipantAttribute, Relationship, Stakeholder, ThemeTag, Vote,
)

#: Form prefixes, so several forms on one page never share a field name or an element id.
PREFIX = {"participant": "p", "contribution": "c", "mention": "m", "relationship": "r", "dots": "v",
          "ranking": "k"}
#: The section of the page each form is in, for links from the error summary.
SECTION = {"participant": "participants", "contribution": "contribute", "mention": "organisations",
           "relationship": "organisations", "dots": "priorities", "ranking": "priorities"}
#: The consent box's label in the source language, to tell when a catalog lacks it.
CONSENT_SOURCE = "The participant has heard or read this and agrees to take part."
#: ThemeTag.coder of the automatic tagger; the feed shows what people tagged.
AUTO_CODER = "auto"
#: How much of a contribution the mention picker shows.
SNIPPET = 60


def staff_lang() -> str:
    return str(get_locale())


def session_translator(ctx: SessionContext):
    return translator(ctx.survey, ctx.group.lang) if ctx.survey else None


def form_classes(ctx: SessionContext) -> dict:
    """The form class behind each form of the page (some are built from the survey)."""
    t = session_translator(ctx)
    return {"participant": f.make_participant_form(ctx, t), "contribution": f.ContributionForm,
            "mention": f.MentionForm, "relationship": f.RelationshipForm,
            "dots": f.make_dot_vote_form(ctx, t), "ranking": f.make_ranking_form(ctx, t)}


def posted_form(ctx: SessionContext, name: str):
    """The named form filled from the current POST."""
    return form_classes(ctx)[name](prefix=PREFIX[name])


def tag_form(contribution_id: int, formdata=None):
    return f.TagForm(prefix=f"t{contribution_id}", formdata=formdata)


def render_session(ctx: SessionContext, *, posted: dict | None = None, errors: dict | None = None,
                   status: int = 200, focus: str | None = None):
    """The page; `posted` {form name: form} replaces fresh forms, `errors` {form name: {field: message}}."""
    group = ctx.group
    participants = _participants(ctx)
    active_codes = [p["code"] for p in participants if not p["withdrawn"]]
    classes = form_classes(ctx)
    drawn = {name: cls(prefix=PREFIX[name], formdata=None) for name, cls in classes.items()}
    drawn["participant"].code.data = next_participant_code(group)
    drawn["contribution"].client_id.data = f.new_client_id()
    drawn["mention"].client_id.data = f.new_client_id()
    drawn["contribution"].kind.data = "note"
    for priority, votes in _dot_counts(group).items():
        drawn["dots"][f.dots_field_name(priority)].data = str(votes)
    drawn.update(posted or {})
    stakeholders = _stakeholder_names()
    themes = theme_choices(staff_lang())
    _fill_choices(drawn, active_codes, stakeholders, themes, _recent_contributions(group))
    t = session_translator(ctx)
    with force_locale(group.lang):
        # TRANSLATORS: the consent box a facilitator ticks, shown in the session's language
        consent_label = _("The participant has heard or read this and agrees to take part.")
    # Untranslated, the label falls back to English: say so, for screen readers.
    consent_label_lang = group.lang if consent_label != CONSENT_SOURCE or group.lang == "en" else "en"
    return render_template(
        "facilitate/session.html", ctx=ctx, group=group, forms=drawn, errors=errors or {}, focus=focus,
        participants=participants, feed=_feed(ctx, participants, stakeholders, themes),
        consent_text=t("consent", ctx.survey.consent_text) if t else "", consent_label=consent_label,
        consent_label_lang=consent_label_lang,
        host=db.session.get(Stakeholder, group.host_id) if group.host_id else None,
        theme_groups=_theme_groups(themes), lang=staff_lang(), error_links=_error_links(errors or {}),
    ), status


def _error_links(errors: dict) -> list[tuple[str, str]]:
    """(fragment, message) for each error, so the summary at the top leads to the field."""
    return [(SECTION[name] if field == "_form" else f"{PREFIX[name]}-{field}", message)
            for name, fields in errors.items() for field, message in fields.items()]


def _fill_choices(forms, codes, stakeholders, themes, contributions) -> None:
    blank = [SelectChoice("", _("Choose…"))]
    people = [SelectChoice("", _("Nobody in particular"))] + [SelectChoice(c, c) for c in codes]
    orgs = blank + [SelectChoice(k, v) for k, v in sorted(stakeholders.items(), key=lambda kv: kv[1].lower())]
    forms["contribution"].participant.choices = people
    forms["contribution"].themes.choices = [SelectChoice(t.key, t.label) for t in themes]
    forms["mention"].stakeholder.choices = orgs
    forms["mention"].contribution.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(value, label) for value, label in contributions]
    forms["relationship"].source.choices = orgs
    forms["relationship"].target.choices = orgs
    forms["relationship"].type.choices = blank + [SelectChoice(k, v) for k, v in f.RELATIONSHIP_LABELS.items()]
    forms["ranking"].participant.choices = blank + [SelectChoice(c, c) for c in codes]


def _theme_groups(themes) -> list[tuple]:
    """Top-level themes each with their sub-themes, for the grouped checkboxes."""
    return [(t, [s for s in themes if s.parent == t.key]) for t in themes if not t.parent]


def _stakeholder_names() -> dict[str, str]:
    return dict(db.session.execute(sa.select(Stakeholder.id, Stakeholder.name)).all())


def _participants(ctx: SessionContext) -> list[dict]:
    """Every participant with their answers' labels (in the session's language), withdrawn ones flagged
    and shown without demographics."""
    t = session_translator(ctx)
    rows = db.session.scalars(sa.select(Participant).where(Participant.focus_group_id == ctx.group.id)
                              .order_by(Participant.id)).all()
    attrs: dict[int, dict[str, str]] = {}
    for a in db.session.scalars(sa.select(ParticipantAttribute).where(
            ParticipantAttribute.participant_id.in_([p.id for p in rows]))):
        attrs.setdefault(a.participant_id, {})[a.dimension] = a.category
    out = []
    for p in rows:
        answers = [] if p.withdrawn_at else [
            (t(f"{q.key}.label", q.label), t(f"{q.key}.choice.{attrs[p.id][q.dimension]}",
                                             _choice_label(q, attrs[p.id][q.dimension])))
            for q in ctx.dimensions if q.dimension in attrs.get(p.id, {})]
        out.append({"id": p.id, "code": p.code, "withdrawn": p.withdrawn_at is not None, "answers": answers,
                    "created_at": p.created_at})
    return out


def _choice_label(q, value) -> str:
    return next((c.label for c in q.choices if c.value == value), value)


def _dot_counts(group) -> dict[str, int]:
    return dict(db.session.execute(sa.select(Vote.priority, Vote.votes).where(
        Vote.focus_group_id == group.id, Vote.participant_id.is_(None))).all())


def _kept(group):
    withdrawn = sa.select(Participant.id).where(Participant.focus_group_id == group.id,
                                                Participant.withdrawn_at.is_not(None))
    return sa.and_(Contribution.focus_group_id == group.id,
                   sa.or_(Contribution.participant_id.is_(None), Contribution.participant_id.not_in(withdrawn)))


def _recent_contributions(group) -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(Contribution.id, Contribution.text).where(_kept(group))
                              .order_by(Contribution.id.desc()))
    return [(str(cid), _("#%(id)s: %(text)s", id=cid, text=_snippet(text))) for cid, text in rows]


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"


def _feed(ctx, participants, stakeholders, themes) -> list[dict]:
    """Everything recorded in the session, newest first; withdrawn participants' words and votes left out."""
    group, t = ctx.group, session_translator(ctx)
    labels = {th.key: th.label for th in themes}
    codes = {p["id"]: p["code"] for p in participants}
    withdrawn = {p["id"] for p in participants if p["withdrawn"]}
    items = [{"type": "participant", "at": p["created_at"], "id": p["id"], "code": p["code"], "answers": p["answers"]}
             for p in participants if not p["withdrawn"]]
    contributions = db.session.scalars(sa.select(Contribution).where(_kept(group))).all()
    tags: dict[int, list[str]] = {}
    for cid, theme in db.session.execute(sa.select(ThemeTag.contribution_id, ThemeTag.theme).distinct().where(
            ThemeTag.contribution_id.in_([c.id for c in contributions]), ThemeTag.status == "accepted",
            ThemeTag.coder != AUTO_CODER)
            .order_by(ThemeTag.theme)):
        tags.setdefault(cid, []).append(labels.get(theme, theme))
    items += [{"type": "contribution", "at": c.created_at, "id": c.id, "text": c.text, "kind": c.kind,
               "lang": c.lang, "code": codes.get(c.participant_id), "themes": tags.get(c.id, []),
               "tag_form": _feed_tag_form(c.id, themes)} for c in contributions]
    kept_ids = {c.id for c in contributions}

    def name(key: str) -> str:
        return stakeholders.get(key, key)

    items += [{"type": "mention", "at": m.created_at, "id": m.id, "name": name(m.stakeholder_id),
               "contribution": m.contribution_id}
              for m in db.session.scalars(sa.select(Mention).where(Mention.focus_group_id == group.id))
              if m.contribution_id is None or m.contribution_id in kept_ids]
    items += [{"type": "relationship", "at": r.created_at, "id": r.id, "source": name(r.source_id),
               "target": name(r.target_id), "kind": f.RELATIONSHIP_LABELS.get(r.type, r.type)}
              for r in db.session.scalars(sa.select(Relationship).where(Relationship.focus_group_id == group.id))]
    items += _vote_items(ctx, t, codes, withdrawn)
    return sorted(items, key=lambda i: (i["at"], i["type"], i["id"]), reverse=True)


def _feed_tag_form(contribution_id: int, themes):
    form = tag_form(contribution_id)
    form.theme.choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(th.key, th.label) for th in themes]
    return form


def _vote_items(ctx, t, codes, withdrawn) -> list[dict]:
    q = ctx.priorities
    label = (lambda v: t(f"{q.key}.choice.{v}", _choice_label(q, v))) if q else str
    votes = db.session.scalars(sa.select(Vote).where(Vote.focus_group_id == ctx.group.id)
                               .order_by(Vote.participant_id, Vote.rank, Vote.id)).all()
    dots = [v for v in votes if v.participant_id is None]
    items = []
    if dots:
        most_first = sorted(dots, key=lambda v: (-(v.votes or 0), v.priority))
        items.append({"type": "dots", "at": max(v.created_at for v in dots), "id": 0,
                      "counts": [(label(v.priority), v.votes) for v in most_first]})
    rankings: dict[int, list] = {}
    for v in votes:
        if v.participant_id is not None and v.participant_id not in withdrawn:
            rankings.setdefault(v.participant_id, []).append(v)
    items += [{"type": "ranking", "at": max(v.created_at for v in rows), "id": pid, "code": codes.get(pid),
               "ranking": [label(v.priority) for v in rows]} for pid, rows in rankings.items()]
    return items
