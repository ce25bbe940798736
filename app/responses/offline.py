"""A resident's page drawn again, with what they typed, while the database is away.

Everything the page needs from the database is kept in memory when it was last read: the survey
definition per version hash (versions never change), which version is the latest per survey, and
the registry of stakeholders. The form itself carries the version hash and the questions it drew,
so the page comes back as the resident left it, with nothing read from the database.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import g, render_template, request
from flask_babel import get_locale

from app.core.localize import survey_languages, translator
from app.questions import question_type
from app.responses.forms import make_page_form
from app.surveydef.model import SurveyDef

#: Parsed definitions by version hash, and the latest hash seen per survey slug.
_by_hash: dict[str, SurveyDef] = {}
_latest: dict[str, str] = {}
#: The stakeholder choices last read: (id, name).
_stakeholders: list[tuple[str, str]] = []


def remember(slug: str, content_hash: str, survey: SurveyDef, latest: bool) -> None:
    _by_hash[content_hash] = survey
    if latest:
        _latest[slug] = content_hash


def remember_stakeholders(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    _stakeholders[:] = choices
    return choices


def unsaved_page(message) -> str | None:
    """The posted page drawn again with the posted values and `message`; None when this process
    never read that survey (the caller then shows the plain 503 page). `message()` gives the
    text, in the page's language."""
    slug, number, sid = (request.view_args or {}).get("slug"), request.view_args.get("number"), request.view_args.get("sid")
    content_hash = request.form.get("version") or _latest.get(slug, "")
    survey = _by_hash.get(content_hash)
    if survey is None or survey.slug != slug or not 1 <= number <= len(survey.pages):
        return None
    g.survey, g.languages, g.source_language = survey, survey_languages(survey, content_hash), survey.language
    lang = str(get_locale())
    t = translator(survey, lang)
    page = survey.pages[number - 1]
    drawn = set(request.form.get("drawn", "").split()) or {q.key for q in page.questions}
    questions = [q for q in page.questions if q.key in drawn]
    choices = _stakeholders or [(v, v) for q in questions if question_type(q.type).uses_stakeholders
                                for v in request.form.getlist(q.key)]
    form = make_page_form(questions, t, choices)()  # bound to what was posted
    return render_template(
        "respond/page.html", form=form, questions=questions, errors={}, unsaved=message(),
        number=number, position=number, total=len(survey.pages), is_last=number == len(survey.pages),
        draft=SimpleNamespace(submission_id=sid), visible={q.key for q in questions}, live={}, known={},
        types={q.key: q.type for q in questions}, more=False, version_hash=content_hash,
        survey=survey, t=t, languages=g.languages, lang=lang)
