"""Names people read in reports: dimensions and categories, in the viewer's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.localize import translator
from app.models import Survey

DIMENSION_NAMES = {
    "age_band": _l("Age"), "gender": _l("Gender"), "language": _l("Home language"),
    "neighbourhood": _l("Neighbourhood"), "ethnicity": _l("Ethnic background"), "disability": _l("Disability"),
}
SPECIAL_CATEGORIES = {"prefer_not": _l("Prefer not to say"), "missing": _l("No answer")}


def dimension_name(dimension: str) -> str:
    return str(DIMENSION_NAMES.get(dimension, dimension.replace("_", " ").capitalize()))


def category_labels(surveys: list[Survey], lang: str) -> dict[str, dict[str, str]]:
    """{dimension: {category: label}} from the surveys' newest versions, translated into `lang`."""
    labels: dict[str, dict[str, str]] = {}
    for survey in surveys:
        version = survey.latest_version()
        if version is None:
            continue
        t = translator(version.survey_def, lang)
        for q in version.survey_def.questions:
            if q.dimension:
                found = labels.setdefault(q.dimension, {})
                for c in q.choices:
                    found.setdefault(c.value, str(t(f"{q.key}.choice.{c.value}", c.label)))
    for found in labels.values():
        for key, label in SPECIAL_CATEGORIES.items():
            found.setdefault(key, str(label))
    return labels
