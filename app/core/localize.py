"""A survey in a language: translated texts with fallback, and the languages a survey offers."""
from __future__ import annotations

from app.core.i18n import shipped_languages, survey_catalog
from app.surveydef.model import SurveyDef
from app.surveydef.texts import SurveyTranslator

_languages_cache: dict[tuple[str, str], list[str]] = {}


def translator(survey: SurveyDef, lang: str) -> SurveyTranslator:
    return SurveyTranslator(survey, lang, survey_catalog(lang))


def survey_languages(survey: SurveyDef, content_hash: str = "") -> list[str]:
    """The survey's source language, then every shipped language with any of its texts translated."""
    key = (survey.slug, content_hash or str(id(survey)))
    found = _languages_cache.get(key)
    if found is None:
        found = [survey.language] + [
            code for code in shipped_languages()
            if code != survey.language and translator(survey, code).coverage()[0] > 0
        ]
        _languages_cache[key] = found
    return found
