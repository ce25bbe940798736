"""Names people read in reports: dimensions, categories, surveys, channels, sectors and
relationship types, in the viewer's language, so no page or export shows a raw key."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.localize import translator
from app.models import Survey

DIMENSION_NAMES = {
    "age_band": _l("Age"), "gender": _l("Gender"), "language": _l("Home language"),
    "neighbourhood": _l("Neighbourhood"), "ethnicity": _l("Ethnic background"), "disability": _l("Disability"),
}
SPECIAL_CATEGORIES = {"prefer_not": _l("Prefer not to say"), "missing": _l("No answer")}
CHANNEL_NAMES = {"web": _l("Web"), "api": _l("API"), "focus_group": _l("Focus groups"), "paper": _l("Paper"),
                 "import": _l("Import"), "odk": _l("ODK Collect or Enketo")}
SECTOR_NAMES = {
    "nonprofit": _l("Nonprofit or charity"), "government": _l("Government or public agency"),
    "business": _l("Business"), "education": _l("School, college or university"), "health": _l("Health provider"),
    "faith": _l("Faith group"), "resident_association": _l("Resident or tenants' association"),
    "funder": _l("Funder or foundation"), "other": _l("Other"),
}
RELATIONSHIP_NAMES = {"referral": _l("Referrals"), "shared_data": _l("Shared data"),
                      "joint_programme": _l("Joint programmes"), "funding": _l("Funding"),
                      "communication": _l("Communication")}


def channel_name(channel: str) -> str:
    return str(CHANNEL_NAMES.get(channel, channel))


def sector_name(sector: str) -> str:
    return str(SECTOR_NAMES.get(sector, sector))


def survey_title(survey: Survey, lang: str) -> str:
    """The survey's title in `lang` (its source text where not translated)."""
    version = survey.latest_version()
    if version is None:
        return survey.slug
    definition = version.survey_def
    return str(translator(definition, lang)("title", definition.title))


def geography_name(geography: str, labels: dict[str, dict[str, str]]) -> str:
    """A neighbourhood's label for a geography named after one, else the key made readable."""
    return labels.get("neighbourhood", {}).get(geography) or geography.replace("_", " ").capitalize()


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
