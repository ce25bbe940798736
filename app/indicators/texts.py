"""Indicator texts for translators: one gettext message per text, with a context naming the key.

Contexts: ``indicator:feel_safe.title``, ``indicator:feel_safe.description`` and
``result:safe_neighbourhoods.title`` (one message however many files name the result). They go
through the same catalogs as survey texts (pybabel's `indicator_yaml` extractor, babel.cfg).
"""
from __future__ import annotations

from app.core.i18n import current_lang, survey_catalog
from app.indicators.model import IndicatorDef


def indicator_texts(indicator: IndicatorDef) -> list[tuple[str, str]]:
    """Every translatable text of `indicator` as (context, source text)."""
    texts = [(f"indicator:{indicator.key}.title", indicator.title),
             (f"indicator:{indicator.key}.description", indicator.description),
             (f"result:{indicator.result}.title", indicator.result_title)]
    return [(ctx, text) for ctx, text in texts if text]


def translate(context: str, source: str, language: str, lang: str | None = None) -> str:
    """`source` in `lang` (default: the request's), falling back to the source text."""
    lang = lang or current_lang()
    if not source or lang == language:
        return source
    return getattr(survey_catalog(lang), "_catalog", {}).get(f"{context}\x04{source}") or source


def localized(indicator: IndicatorDef, lang: str | None = None) -> dict[str, str]:
    """{"title", "description", "result_title"} in `lang`; a result without a title reads as its key."""
    def t(context: str, source: str) -> str:
        return translate(context, source, indicator.language, lang)
    return {
        "title": t(f"indicator:{indicator.key}.title", indicator.title),
        "description": t(f"indicator:{indicator.key}.description", indicator.description),
        "result_title": t(f"result:{indicator.result}.title", indicator.result_title)
        or indicator.result.replace("_", " ").capitalize(),
    }
