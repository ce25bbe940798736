"""The facilitator's forms, and the conversion of what they post into the API's body shape.

Fields carry no validators, so `validate()` only checks the CSRF token; the rules live once in
app.focus_groups.checks, which judges a form post and an API call alike.
"""
from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.focus_groups.sessions import SessionContext
from app.surveydef.texts import SurveyTranslator

#: Labels for Relationship.type values (app.models.relationships.RELATIONSHIP_TYPES).
RELATIONSHIP_LABELS = {
    "referral": _l("Referral"),
    "shared_data": _l("Sharing data"),
    "joint_programme": _l("Joint programme"),
    "funding": _l("Funding"),
    "communication": _l("Communication"),
}
KIND_LABELS = {"quote": _l("Quote"), "note": _l("Note")}


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _select(label) -> SelectField:
    return SelectField(label, choices=[], validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (withdrawing a participant)."""


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": 200})
    date = StringField(_l("Date"), render_kw={"type": "date"})
    place = StringField(_l("Place"), render_kw={"maxlength": 200})
    lang = _select(_l("Language of the session"))
    host = _select(_l("Host organisation"))
    survey = _select(_l("Survey (demographic questions and consent wording)"))
    facilitators = CheckboxListField(_l("Co-facilitators"), choices=[], validate_choice=False)

    def payload(self) -> dict:
        return {"title": self.title.data, "date": self.date.data, "place": self.place.data,
                "lang": self.lang.data, "host": self.host.data or None, "survey": self.survey.data,
                "facilitators": list(self.facilitators.data or [])}


class ContributionForm(FlaskForm):
    #: Made when the form is drawn; a re-sent form stores the contribution once.
    client_id = HiddenField()
    participant = _select(_l("Who said it (optional)"))
    kind = RadioField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="note",
                      validate_choice=False)
    text = TextAreaField(_l("What was said"), render_kw={"rows": 4, "maxlength": 10_000})
    themes = CheckboxListField(_l("Themes"), choices=[], validate_choice=False)
    #: The language of the words typed (the session's by default): the tagger reads them with it.
    lang = _select(_l("Written in"))

    def payload(self) -> dict:
        return {"client_id": self.client_id.data, "participant": self.participant.data or None,
                "kind": self.kind.data, "text": self.text.data, "themes": list(self.themes.data or []),
                "lang": self.lang.data or None}


def new_client_id() -> str:
    return uuid.uuid4().hex


class TagForm(FlaskForm):
    theme = _select(_l("Theme"))


class MentionForm(FlaskForm):
    #: Made when the form is drawn; a re-sent form stores the mention once.
    client_id = HiddenField()
    stakeholder = _select(_l("Organisation named"))
    contribution = _select(_l("In which contribution (optional)"))

    def payload(self) -> dict:
        return {"client_id": self.client_id.data, "stakeholder": self.stakeholder.data,
                "contribution": self.contribution.data or None}


class RelationshipForm(FlaskForm):
    source = _select(_l("Organisation"))
    type = _select(_l("How they work together"))
    target = _select(_l("Other organisation"))

    def payload(self) -> dict:
        return {"source": self.source.data, "target": self.target.data, "type": self.type.data}


class ParticipantFormBase(FlaskForm):
    code = StringField(_l("Participant code"), render_kw={"maxlength": 20, "autocomplete": "off"})
    consent = BooleanField()


def demographic_field_name(dimension: str) -> str:
    return f"d_{dimension}"


def make_participant_form(ctx: SessionContext, t: SurveyTranslator):
    """A form with the code, one radio group per demographic question (labels in `t`'s language)
    and the consent box."""
    attrs = {}
    for q in ctx.dimensions:
        choices = [SelectChoice(c.value, t(f"{q.key}.choice.{c.value}", c.label)) for c in q.choices]
        attrs[demographic_field_name(q.dimension)] = RadioField(t(f"{q.key}.label", q.label), choices=choices,
                                                                validate_choice=False)
    return type("ParticipantForm", (ParticipantFormBase,), attrs)


def participant_payload(form, ctx: SessionContext) -> dict:
    return {"code": form.code.data,
            "demographics": {q.dimension: form[demographic_field_name(q.dimension)].data for q in ctx.dimensions},
            "consent": {"version": ctx.consent_version, "given": bool(form.consent.data)}}


def dots_field_name(priority: str) -> str:
    return f"dots_{priority}"


def make_dot_vote_form(ctx: SessionContext, t: SurveyTranslator):
    """One number box per priority."""
    q = ctx.priorities
    attrs = {dots_field_name(c.value): StringField(t(f"{q.key}.choice.{c.value}", c.label),
                                                   render_kw={"inputmode": "numeric", "pattern": "[0-9]*"})
             for c in (q.choices if q else ())}
    return type("DotVoteForm", (FlaskForm,), attrs)


def dot_vote_payload(form, ctx: SessionContext) -> dict:
    """{priority: dots}; a box left empty counts as no dots, so a saved vote covers every priority."""
    return {value: (form[dots_field_name(value)].data or "0") for value in ctx.priority_values}


def rank_field_name(position: int) -> str:
    return f"rank_{position}"


def make_ranking_form(ctx: SessionContext, t: SurveyTranslator):
    """The participant, then one select per place (as many places as there are priorities)."""
    q = ctx.priorities
    choices = [SelectChoice("", _l("Choose…"))] + [SelectChoice(c.value, t(f"{q.key}.choice.{c.value}", c.label))
                                                   for c in (q.choices if q else ())]
    attrs = {"participant": _select(_l("Participant"))}
    for position in range(1, len(ctx.priority_values) + 1):
        attrs[rank_field_name(position)] = SelectField(str(position), choices=choices, validate_choice=False)
    return type("RankingForm", (FlaskForm,), attrs)


def ranking_payload(form, ctx: SessionContext) -> dict:
    picks = [form[rank_field_name(p)].data for p in range(1, len(ctx.priority_values) + 1)]
    return {"participant": form.participant.data or None, "ranking": [p for p in picks if p]}
