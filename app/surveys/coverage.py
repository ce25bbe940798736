"""Translation coverage: per language, the share of interface strings, of each survey's texts
and of the indicators' texts that are translated, and the translations left behind by renamed
keys (obsolete).

Counts come from the sources, not from what a catalog claims: interface strings are extracted
from app/ as `pybabel extract` would, survey texts are read from the survey files and indicator
texts from surveys/indicators/.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from app.core.i18n import SOURCE_LANGUAGE, TRANSLATIONS_DIR, shipped_languages
from app.surveydef.model import SurveyDef
from app.surveydef.texts import survey_texts

APP_DIR = Path(__file__).resolve().parents[1]
#: The same keywords the README's `pybabel extract` command passes.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_nl": (1, 2), "lazy_ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]


@dataclass
class LanguageCoverage:
    lang: str
    interface: tuple[int, int]
    surveys: dict[str, tuple[int, int]]
    obsolete: list[str] = field(default_factory=list)
    indicators: tuple[int, int] = (0, 0)

    def shares(self) -> list[float]:
        """Interface, each survey, then the indicators (when there are any), in percent."""
        pairs = [self.interface, *self.surveys.values()] + ([self.indicators] if self.indicators[1] else [])
        return [share(*pair) for pair in pairs]


def share(done: int, total: int) -> float:
    return 100.0 if total == 0 else 100.0 * done / total


def interface_messages() -> set:
    """Every interface msgid (a string, or a (singular, plural) pair) with its context."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        APP_DIR, METHOD_MAP, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        found.add((context, message))
    return found


def read_catalog(lang: str) -> Catalog | None:
    path = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def is_translated(catalog: Catalog | None, msgid, context: str | None) -> bool:
    if catalog is None:
        return False
    key = msgid[0] if isinstance(msgid, tuple) else msgid
    message = catalog.get(key, context=context)
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def indicator_definitions(folder: str | Path) -> list:
    """The indicator files in `folder` that parse on their own; a broken one is for
    `flask indicators check` to name, not for a coverage table to stop on."""
    from app.indicators.parse import parse_indicator_text
    from app.surveydef.errors import SurveyFileError
    from app.surveys.loader import survey_files
    found = []
    for path in survey_files(folder) if Path(folder).is_dir() else []:
        try:
            found.append(parse_indicator_text(path.read_text(encoding="utf-8"), str(path)))
        except SurveyFileError:
            continue
    return found


def indicator_coverage(catalog: Catalog | None, lang: str, indicators: list) -> tuple[int, int]:
    """(translated, all) indicator texts; a result title shared by indicators counts once."""
    from app.indicators.texts import indicator_texts
    texts = {(ctx, text, indicator.language) for indicator in indicators for ctx, text in indicator_texts(indicator)}
    done = sum(1 for ctx, text, source in texts if lang == source or is_translated(catalog, text, ctx))
    return done, len(texts)


def language_coverage(lang: str, interface: set, surveys: list[SurveyDef], indicators: list = ()) -> LanguageCoverage:
    catalog = read_catalog(lang)
    done = sum(1 for ctx, msgid in interface if lang == SOURCE_LANGUAGE or is_translated(catalog, msgid, ctx))
    per_survey, current = {}, set()
    for survey in surveys:
        texts = survey_texts(survey)
        current.update(texts)
        if lang == survey.language:
            per_survey[survey.slug] = (len(texts), len(texts))
        else:
            per_survey[survey.slug] = (sum(1 for ctx, text in texts if is_translated(catalog, text, ctx)), len(texts))
    obsolete = []
    if catalog is not None:
        slugs = {s.slug for s in surveys}
        obsolete = sorted(
            f"{m.context} {m.id!r}" for m in catalog
            if m.context and m.context.split(":", 1)[0] in slugs and (m.context, m.id) not in current
        ) + sorted(f"{m.context or ''} {m.id!r} (#~ in the .po)" for m in catalog.obsolete.values())
    return LanguageCoverage(lang, (done, len(interface)), per_survey, obsolete,
                            indicator_coverage(catalog, lang, list(indicators)))


def coverage_report(surveys: list[SurveyDef], indicators: list = ()) -> list[LanguageCoverage]:
    interface = interface_messages()
    return [language_coverage(lang, interface, surveys, indicators) for lang in shipped_languages()]
