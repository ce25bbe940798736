"""Validation of focus-group input, shared by the facilitator's pages and the JSON API.

Every check takes the API's body shape (a dict, as JSON would give it) and returns
``(clean, errors)``: clean values ready for app.focus_groups.operations, and
``{field: message}`` naming each field that is wrong. The pages turn their form posts into
the same shape first, so a rule is written once. Messages are translated in the request's
locale (the facilitator's, or the API's default).
"""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.i18n import normalise, shipped_languages
from app.core.vocabulary import CLIENT_ID_PATTERN, CONTRIBUTION_KINDS, FACILITATOR_ROLES, RELATIONSHIP_TYPES
from app.focus_groups.sessions import CODE_PATTERN, DEFAULT_SURVEY, SessionContext, normalise_code, participant_by_code
from app.models import Contribution, Mention, Stakeholder, Survey, User
from app.themes.session_codebook import theme_keys

#: Same rule as a survey submission id: made on the device, 8–64 URL-safe characters.
CLIENT_ID = re.compile(CLIENT_ID_PATTERN)
#: Column sizes of FocusGroup.title and .place.
TITLE_MAX = PLACE_MAX = 200
#: A contribution is a quote or a note typed live; ten thousand characters is far beyond one.
TEXT_MAX = 10_000
#: More dots than anyone hands out in a room: a typo guard, not a rule of the method.
MAX_DOTS = 10_000
#: Contribution.kind values: words said (quote) or the facilitator's summary (note).
KINDS = CONTRIBUTION_KINDS
#: Longest id or slug looked up (stakeholder ids are 64, slugs 100); longer cannot match.
KEY_MAX = 200
#: The largest value an INTEGER column holds (PostgreSQL's int4); larger input is refused, not stored.
INT_MAX = 2**31 - 1


def _text(value) -> str:
    # PostgreSQL text cannot hold NUL characters; nobody types them, so they are dropped.
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _key(value) -> str | None:
    """A string usable to look a row up by (PostgreSQL refuses NUL even in a query), else None."""
    return value if isinstance(value, str) and "\x00" not in value and len(value) <= KEY_MAX else None


def _whole_number(value) -> int | None:
    """An int from JSON (not a bool) or from a form's digits, within an INTEGER column; None otherwise."""
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > INT_MAX:
        return None
    return value


def check_session(body: dict) -> tuple[dict, dict]:
    """A new session: title, date, place, lang, host, survey (slug) and facilitators (user ids)."""
    clean, errors = {}, {}
    clean["title"] = _text(body.get("title"))
    if not clean["title"]:
        errors["title"] = _("Give the session a title.")
    elif len(clean["title"]) > TITLE_MAX:
        errors["title"] = _("Keep the title to %(max)s characters or fewer.", max=TITLE_MAX)
    try:
        clean["date"] = dt.date.fromisoformat(_text(body.get("date")))
    except ValueError:
        errors["date"] = _("Enter the date as YYYY-MM-DD, for example 2026-03-14.")
    clean["place"] = _text(body.get("place"))
    if len(clean["place"]) > PLACE_MAX:
        errors["place"] = _("Keep the place to %(max)s characters or fewer.", max=PLACE_MAX)
    clean["lang"] = normalise(_text(body.get("lang")), shipped_languages())
    if clean["lang"] is None:
        errors["lang"] = _("Choose one of the languages: %(languages)s.", languages=", ".join(shipped_languages()))
    host = body.get("host") or None
    if host is not None and (_key(host) is None or db.session.get(Stakeholder, host) is None):
        errors["host"] = _("There is no organisation with that id in the registry.")
    clean["host"] = host
    clean["survey_version"], errors_survey = _survey_version(body.get("survey") or DEFAULT_SURVEY)
    errors.update(errors_survey)
    clean["facilitators"], errors_people = _co_facilitators(body.get("facilitators") or [])
    errors.update(errors_people)
    return clean, errors


def _survey_version(slug) -> tuple:
    survey = Survey.by_slug(slug) if _key(slug) is not None else None
    version = survey.latest_version() if survey else None
    if version is None:
        return None, {"survey": _("There is no loaded survey called %(slug)s. Load the surveys first.",
                                  slug=str(slug))}
    return version, {}


def _co_facilitators(ids) -> tuple[list, dict]:
    wanted = [_whole_number(i) for i in ids] if isinstance(ids, list) else [None]
    if None in wanted:
        return [], {"facilitators": _("Facilitators must be a list of account ids.")}
    users = list(db.session.scalars(sa.select(User).where(
        User.id.in_(wanted), User.active.is_(True), User.role.in_(FACILITATOR_ROLES)))) if wanted else []
    if len(users) != len(set(wanted)):
        return [], {"facilitators": _("Only active facilitator or admin accounts can co-facilitate.")}
    return users, {}


def check_participant(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """A participant: code, demographics {dimension: category} and consent {version, given}."""
    clean, errors = {}, {}
    clean["code"] = normalise_code(body.get("code"))
    if not CODE_PATTERN.match(clean["code"]):
        errors["code"] = _("Use a short code of letters and digits, such as P4.")
    elif participant_by_code(ctx.group, clean["code"]) is not None:
        errors["code"] = code_taken_message(clean["code"])
    clean["demographics"] = {}
    demographics = body.get("demographics") or {}
    if not isinstance(demographics, dict):
        errors["demographics"] = _("Demographics must be an object of dimensions and categories.")
        demographics = {}
    allowed = ctx.dimension_choices
    for dimension, category in demographics.items():
        if category in (None, ""):
            continue  # a question left unanswered, as on the survey
        if dimension not in allowed:
            errors[f"demographics.{dimension}"] = _("This session's survey does not ask about %(dimension)s.",
                                                    dimension=str(dimension))
        elif category not in allowed[dimension]:
            errors[f"demographics.{dimension}"] = _("Choose one of the answers offered.")
        else:
            clean["demographics"][dimension] = category
    consent = body.get("consent")
    given = consent.get("given") if isinstance(consent, dict) else None
    if not (given is True or given == "yes"):
        errors["consent"] = _("A participant can only be registered once they have agreed to take part.")
    else:
        version = consent.get("version", ctx.consent_version)
        clean["consent_version"] = _whole_number(version) if version is not None else None
        if version is not None and not (clean["consent_version"] or 0) >= 1:
            errors["consent"] = _("The consent version must be a whole number such as 1.")
    return clean, errors


def code_taken_message(code: str) -> str:
    return _("The code %(code)s is already used in this session.", code=code)


def check_client_id(ctx: SessionContext, client_id) -> tuple[Contribution | None, dict]:
    """The contribution already stored under `client_id` in this session, or errors if the id is
    malformed or belongs to another session."""
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
        return None, {"client_id": _("A client id of 8 to 64 letters, digits, '-' or '_' is needed.")}
    found = db.session.scalar(sa.select(Contribution).where(Contribution.client_id == client_id))
    if found is not None and found.focus_group_id != ctx.group.id:
        return None, {"client_id": _("This client id was already used in another session.")}
    return found, {}


def check_contribution(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """A quote or note: client_id, participant (code, optional), kind, text, themes, lang."""
    clean, errors = {"client_id": body.get("client_id")}, {}
    clean["participant"], errors_p = _active_participant(ctx, body.get("participant"), required=False)
    errors.update(errors_p)
    clean["kind"] = body.get("kind") or "note"
    if clean["kind"] not in KINDS:
        errors["kind"] = _("The kind must be quote or note.")
    clean["text"] = _text(body.get("text"))
    if not clean["text"]:
        errors["text"] = _("Type what was said before saving.")
    elif len(clean["text"]) > TEXT_MAX:
        errors["text"] = _("Keep one contribution to %(max)s characters or fewer; split it in two.", max=TEXT_MAX)
    clean["themes"], errors_t = check_themes(body.get("themes") or [])
    errors.update(errors_t)
    clean["lang"], errors_l = check_written_in(ctx, body.get("lang"))
    errors.update(errors_l)
    return clean, errors


def check_written_in(ctx: SessionContext, lang) -> tuple[str, dict]:
    """The language a contribution is written in: the session's unless another shipped language is
    named. It picks the codebook the tagger reads the words with, so a code we cannot match is an
    error rather than a silent fall back to the session's language."""
    if lang in (None, ""):
        return ctx.group.lang, {}
    found = normalise(_text(lang), shipped_languages()) if isinstance(lang, str) else None
    if found is None:
        return ctx.group.lang, {"lang": _("Choose one of the languages: %(languages)s.",
                                          languages=", ".join(shipped_languages()))}
    return found, {}


def check_themes(themes) -> tuple[list[str], dict]:
    """Codebook theme keys, each once, in the order given."""
    known = theme_keys()
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        return [], {"themes": _("Themes must be a list of theme keys.")}
    unknown = [t for t in themes if t not in known]
    if unknown:
        return [], {"themes": _("Not a theme of the codebook: %(themes)s.", themes=", ".join(unknown))}
    return list(dict.fromkeys(themes)), {}


def _active_participant(ctx: SessionContext, code, *, required: bool, field: str = "participant"):
    if code in (None, ""):
        return None, ({field: _("Choose the participant.")} if required else {})
    participant = participant_by_code(ctx.group, code)
    if participant is None:
        return None, {field: _("There is no participant %(code)s in this session.", code=str(code))}
    if participant.withdrawn_at is not None:
        return None, {field: _("Participant %(code)s has withdrawn.", code=participant.code)}
    return participant, {}


def check_vote(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """Either a dot vote {priority, votes} or one participant's {participant, ranking: [keys]}."""
    if "ranking" in body:
        return check_ranking(ctx, body)
    priority = body.get("priority")
    if not isinstance(priority, str):
        return {}, {"priority": _("Name the priority the dots were given to.")}
    return check_dot_votes(ctx, {priority: body.get("votes")}, field="priority")


def check_dot_votes(ctx: SessionContext, counts: dict, *, field: str | None = None) -> tuple[dict, dict]:
    """Dots per priority {priority: n}; errors are keyed `field` (the API's) or `votes.<priority>`."""
    clean, errors = {}, {}
    if not counts:
        return {}, {field or "votes": _("Enter the dots for at least one priority.")}
    for priority, votes in counts.items():
        key = field or f"votes.{priority}"
        if priority not in ctx.priority_values:
            errors[key] = _("There is no priority called %(priority)s in this session's survey.",
                            priority=str(priority))
            continue
        number = _whole_number(votes)
        if number is None or not 0 <= number <= MAX_DOTS:
            errors["votes" if field else key] = _("Enter the number of dots as a whole number from 0 to %(max)s.",
                                                  max=MAX_DOTS)
        else:
            clean[priority] = number
    return {"dots": clean}, errors


def check_ranking(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """A participant's ranking, most important first; each priority once."""
    clean, errors = {}, {}
    clean["participant"], errors_p = _active_participant(ctx, body.get("participant"), required=True)
    errors.update(errors_p)
    ranking = body.get("ranking")
    if not isinstance(ranking, list) or not ranking or not all(isinstance(k, str) for k in ranking):
        errors["ranking"] = _("Put at least one priority in order, most important first.")
    elif [k for k in ranking if k not in ctx.priority_values]:
        unknown = ", ".join(k for k in ranking if k not in ctx.priority_values)
        errors["ranking"] = _("There is no priority called %(priority)s in this session's survey.", priority=unknown)
    elif len(set(ranking)) != len(ranking):
        errors["ranking"] = _("Each priority can only be given one place.")
    else:
        clean["ranking"] = list(ranking)
    return clean, errors


def check_mention(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """An organisation named: stakeholder id, optionally on one of this session's contributions,
    and the form's client id (a page drawn before mentions had one sends none: then each counts)."""
    clean, errors = {"client_id": _own_mention_client_id(ctx, body.get("client_id"))}, {}
    clean["stakeholder"], errors_s = _stakeholder(body.get("stakeholder"), "stakeholder")
    errors.update(errors_s)
    clean["contribution"] = None
    contribution_id = _whole_number(body.get("contribution")) if body.get("contribution") not in (None, "") else None
    if body.get("contribution") not in (None, ""):
        found = db.session.get(Contribution, contribution_id) if contribution_id else None
        if found is None or found.focus_group_id != ctx.group.id:
            errors["contribution"] = _("That contribution is not part of this session.")
        clean["contribution"] = found
    return clean, errors


def _own_mention_client_id(ctx: SessionContext, client_id) -> str | None:
    """The form's client id, unless it is malformed or another session's (then none: the hidden
    field is not the facilitator's to fix, and the mention still counts)."""
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
        return None
    owner = db.session.scalar(sa.select(Mention.focus_group_id).where(Mention.client_id == client_id))
    return client_id if owner in (None, ctx.group.id) else None


def check_relationship(ctx: SessionContext, body: dict) -> tuple[dict, dict]:
    """A tie mentioned in the session: source and target organisations and the type of tie."""
    clean, errors = {}, {}
    clean["source"], errors_s = _stakeholder(body.get("source"), "source")
    clean["target"], errors_t = _stakeholder(body.get("target"), "target")
    errors.update(errors_s)
    errors.update(errors_t)
    if clean["source"] and clean["source"] == clean["target"]:
        errors["target"] = _("Choose two different organisations.")
    clean["type"] = body.get("type")
    if clean["type"] not in RELATIONSHIP_TYPES:
        errors["type"] = _("Choose the kind of tie.")
    return clean, errors


def _stakeholder(value, field: str) -> tuple[str | None, dict]:
    if value in (None, ""):
        return None, {field: _("Choose an organisation.")}
    if _key(value) is None or db.session.get(Stakeholder, value) is None:
        return None, {field: _("There is no organisation with that id in the registry.")}
    return value, {}
