"""Finding the survey version a request is about, and the language to answer it in."""
from __future__ import annotations

from flask import abort

from app.core.i18n import normalise
from app.core.localize import survey_languages
from app.models import Survey, SurveyVersion


def latest_or_404(slug: str) -> SurveyVersion:
    """The latest version of the survey `slug`, or 404."""
    survey = Survey.by_slug(slug)
    version = survey.latest_version() if survey else None
    if version is None:
        abort(404)
    return version


def language_for(version: SurveyVersion, requested: str | None) -> tuple[str, list[str]]:
    """(the language to use, the survey's languages): `requested` if the survey has it, else its own."""
    languages = survey_languages(version.survey_def, version.content_hash)
    return normalise(requested, languages) or version.survey_def.language, languages
