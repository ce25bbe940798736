"""The session page: every form drawn fresh (or as posted, with its errors), in the order a session
runs: participants, notes and quotes, themes, organisations named, priorities, close.

Everything on the page is in the facilitator's (interface) language, survey texts included:
question and answer labels, participants' answers, priorities. Only the consent wording is shown
in the SESSION's language, because it is read to the participants (with the facilitator's
language alongside when the two differ).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.core.extensions import db
from app.core.i18n import language_name, normalise, shipped_languages
from app.core.localize import translator
from app.focus_groups import forms as f
from app.focus_groups import records
from app.focus_groups.sessions import SessionContext, next_participant_code
from app.models import Participant, ParticipantAttribute, Stakeholder
from app.themes.session_codebook import theme_choices

#: Form prefixes, so several forms on one page never share a field name or an element id.
PREFIX = {"participant": "p", "contribution": "c", "mention": "m", "relationship": "r", "dots": "v",
          "ranking": "k"}
#: The section of the page each form is in, for links from the error summary.
SECTION = {"participant": "participants", "contribution": "notes", "mention": "organisations",
           "relationship": "organisations", "dots": "priorities", "ranking": "priorities"}
#: The page's sections in the order a session runs: (fragment, label in the section menu).
SECTIONS = (("participants", _l("Participants")), ("notes", _l("Notes and quotes")), ("themes", _l("Themes")),
            ("organisations", _l("Organisations")), ("priorities", _l("Priorities")),
            # TRANSLATORS: the last part of a focus-group session, closing it (a menu item; a verb or a noun)
            ("close", _l("Close")))


def staff_lang() -> str:
    return str(get_locale())


def label_translator(ctx: SessionContext):
    """Survey texts in the facilitator's language: labels, answers, priorities."""
    return translator(ctx.survey, staff_lang()) if ctx.survey else None


def session_translator(ctx: SessionContext):
    """Survey texts in the session's language: what participants hear (the consent wording)."""
    return translator(ctx.survey, ctx.group.lang) if ctx.survey else None


def form_classes(ctx: SessionContext) -> dict:
    """The form class behind each form of the page (some are built from the survey)."""
    t = label_translator(ctx)
    return {"participant": f.make_participant_form(ctx, t), "contribution": f.ContributionForm,
            "mention": f.MentionForm, "relationship": f.RelationshipForm,
            "dots": f.make_dot_vote_form(ctx, t), "ranking": f.make_ranking_form(ctx, t)}


def posted_form(ctx: SessionContext, name: str):
    """The named form filled from the current POST."""
    return form_classes(ctx)[name](prefix=PREFIX[name])


def written_in(ctx: SessionContext, wanted: str | None) -> str:
    """The contribution form's language: the one last saved in (`wanted`), else the session's."""
    return normalise(wanted, shipped_languages()) or ctx.group.lang


def render_session(ctx: SessionContext, *, posted: dict | None = None, errors: dict | None = None,
                   status: int = 200, focus: str | None = None, written: str | None = None):
    """The page; `posted` {form name: form} replaces fresh forms, `errors` {form name: {field: message}}."""
    group = ctx.group
    participants = _participants(ctx)
    codes = {p["id"]: p["code"] for p in participants}
    active_codes = [p["code"] for p in participants if not p["withdrawn"]]
    classes = form_classes(ctx)
    drawn = {name: cls(prefix=PREFIX[name], formdata=None) for name, cls in classes.items()}
    drawn["participant"].code.data = next_participant_code(group)
    drawn["contribution"].client_id.data = f.new_client_id()
    drawn["contribution"].lang.data = written_in(ctx, written)
    drawn["mention"].client_id.data = f.new_client_id()
    drawn["contribution"].kind.data = "note"
    dots = records.dot_counts(group)
    for priority, votes in dots.items():
        drawn["dots"][f.dots_field_name(priority)].data = str(votes)
    drawn.update(posted or {})
    stakeholders = _stakeholder_names()
    themes = theme_choices(staff_lang())
    _fill_choices(drawn, active_codes, stakeholders, themes, records.recent_contributions(group))
    contributions = records.contribution_items(group, codes, themes)
    organisations = records.organisation_items(group, stakeholders)
    rankings = records.ranking_items(group, _priority_label(ctx), codes,
                                     {p["id"] for p in participants if p["withdrawn"]})
    return render_template(
        "facilitate/session.html", ctx=ctx, group=group, forms=drawn, errors=errors or {}, focus=focus,
        participants=participants, contributions=contributions, organisations=organisations, rankings=rankings,
        summary=records.summary(participants, contributions, organisations, dots, rankings),
        **_consent(ctx), host=db.session.get(Stakeholder, group.host_id) if group.host_id else None,
        theme_groups=_theme_groups(themes), sections=SECTIONS, lang=staff_lang(), error_links=_error_links(errors or {}),
    ), status


def _consent(ctx: SessionContext) -> dict:
    """The consent wording in the session's language (read to the participants) and, when the
    facilitator's language differs, in theirs too."""
    if ctx.survey is None:
        return {"consent_text": "", "consent_for_staff": None}
    said = session_translator(ctx)("consent", ctx.survey.consent_text)
    read = label_translator(ctx)("consent", ctx.survey.consent_text)
    return {"consent_text": said, "consent_for_staff": read if str(read) != str(said) else None}


def _error_links(errors: dict) -> list[tuple[str, str, str]]:
    """(form name, fragment, message) for each error, so the summary at the top leads to the field
    (and facilitate.js can clear a form's lines once that form is saved)."""
    return [(name, SECTION[name] if field == "_form" else f"{PREFIX[name]}-{field}", message)
            for name, fields in errors.items() for field, message in fields.items()]


def _fill_choices(forms, codes, stakeholders, themes, contributions) -> None:
    blank = [SelectChoice("", _("Choose…"))]
    people = [SelectChoice("", _("Nobody in particular"))] + [SelectChoice(c, c) for c in codes]
    orgs = blank + [SelectChoice(k, v) for k, v in sorted(stakeholders.items(), key=lambda kv: kv[1].lower())]
    forms["contribution"].participant.choices = people
    forms["contribution"].themes.choices = [SelectChoice(t.key, t.label) for t in themes]
    forms["contribution"].lang.choices = [SelectChoice(code, language_name(code)) for code in shipped_languages()]
    forms["mention"].stakeholder.choices = orgs
    # TRANSLATORS: the organisation was named in the discussion, not in one recorded note or quote
    forms["mention"].contribution.choices = [SelectChoice("", _("Not in a particular note or quote"))] + [
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
    """Every participant with their answers' labels (in the facilitator's language), withdrawn ones
    flagged and shown without demographics."""
    t = label_translator(ctx)
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


def _priority_label(ctx: SessionContext):
    """priority value → its label in the facilitator's language."""
    q, t = ctx.priorities, label_translator(ctx)
    if q is None:
        return str
    return lambda value: t(f"{q.key}.choice.{value}", _choice_label(q, value))
