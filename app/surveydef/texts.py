"""Survey texts for translators: one gettext message per text, with a context naming survey and key.

Contexts look like ``community-needs:priorities.label`` or
``community-needs:priorities.choice.housing``, so a translation follows its question even when
the English wording is shared with another survey, and a renamed key shows up as obsolete.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.surveydef.model import SurveyDef


def survey_texts(survey: SurveyDef) -> list[tuple[str, str]]:
    """Every translatable text of `survey` as (context, source text), in reading order."""
    s = survey.slug
    texts = [(f"{s}:title", survey.title), (f"{s}:intro", survey.intro), (f"{s}:consent", survey.consent_text)]
    for page in survey.pages:
        texts.append((f"{s}:page.{page.key}.title", page.title))
        for q in page.questions:
            texts.append((f"{s}:{q.key}.label", q.label))
            texts.append((f"{s}:{q.key}.hint", q.hint))
            texts.append((f"{s}:{q.key}.constraint_message", q.constraint_message))
            texts.extend((f"{s}:{q.key}.choice.{c.value}", c.label) for c in q.choices)
    return [(ctx, text) for ctx, text in texts if text]


class LocalText(str):
    """A translated text that knows its language: `lang` is set when it fell back to the source."""

    fallback_lang: str | None = None

    def __new__(cls, value: str, fallback_lang: str | None = None):
        obj = super().__new__(cls, value)
        obj.fallback_lang = fallback_lang
        return obj


@dataclass
class SurveyTranslator:
    """Looks up a survey's texts in one language's catalog, falling back to the source text."""

    survey: SurveyDef
    lang: str
    catalog: object  # babel Translations or NullTranslations

    def __call__(self, path: str, source: str) -> LocalText:
        if not source or self.lang == self.survey.language:
            return LocalText(source)
        key = f"{self.survey.slug}:{path}\x04{source}"
        translated = getattr(self.catalog, "_catalog", {}).get(key)
        if translated:
            return LocalText(translated)
        return LocalText(source, fallback_lang=self.survey.language)

    def coverage(self) -> tuple[int, int]:
        """(translated, total) texts of this survey in this language."""
        texts = survey_texts(self.survey)
        done = sum(1 for ctx, _src in texts if self(ctx.split(":", 1)[1], _src).fallback_lang is None)
        return done, len(texts)
