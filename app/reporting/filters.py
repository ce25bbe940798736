"""Report filters from the query string, shared by the report pages, exports and the JSON API.

`survey`, `geography`, `question`, `channel`, `from`, `to`, `respondent_lang`, `type`: every
report reads the ones it needs. A bad value is an error the caller shows (400 in the API), never a
guess. The respondents' language has its own parameter, `respondent_lang`: `lang` is the interface
language everywhere (app.core.i18n), so picking Arabic answers never turns the staff pages Arabic.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.models.relationships import RELATIONSHIP_TYPES
from app.models.responses import CHANNELS

ALL = "all"
#: The query parameter of the respondents' language filter (never `lang`, the interface language).
RESPONDENT_LANG = "respondent_lang"


@dataclass
class ReportFilters:
    survey: str | None = None
    geography: str | None = None
    question: str | None = None
    channel: str = ALL
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: The respondents' language (query parameter `respondent_lang`): answers written in it.
    lang: str | None = None
    types: tuple[str, ...] = ()
    unsuppressed: bool = False
    errors: dict = field(default_factory=dict)
    #: Set by reports that compare people with a population (representation): partner surveys,
    #: whose respondents are organisations, are left out of "all surveys". Never from the URL.
    people_only: bool = False

    def to_args(self, **override) -> dict:
        """The filters as query-string arguments (for links, exports and the API)."""
        args = {"survey": self.survey, "geography": self.geography, "question": self.question,
                "channel": None if self.channel == ALL else self.channel,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None, RESPONDENT_LANG: self.lang,
                "type": ",".join(self.types) or None, "unsuppressed": "1" if self.unsuppressed else None}
        args.update(override)
        return {k: v for k, v in args.items() if v}

    def describe(self) -> dict:
        """The filters as JSON, so every exported figure says what it was computed from."""
        return {k: v for k, v in self.to_args().items()}


def _date(args, name: str, errors: dict):
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        value = None
    # The first and last days Python can represent leave no room for "the day after" (a 500).
    if value is None or value in (dt.date.min, dt.date.max):
        errors[name] = _l("Use a date such as 2026-03-31.")
        return None
    return value


def parse_filters(args) -> ReportFilters:
    errors: dict = {}
    channel = (args.get("channel") or ALL).strip()
    if channel not in (ALL, *CHANNELS):
        errors["channel"] = _l("Channel must be one of: %(channels)s.", channels=", ".join((ALL, *CHANNELS)))
        channel = ALL
    types = tuple(t for t in (args.get("type") or "").split(",") if t)
    if any(t not in RELATIONSHIP_TYPES for t in types):
        errors["type"] = _l("Relationship type must be among: %(types)s.", types=", ".join(RELATIONSHIP_TYPES))
        types = ()
    filters = ReportFilters(
        survey=(args.get("survey") or "").strip() or None,
        geography=(args.get("geography") or "").strip() or None,
        question=(args.get("question") or "").strip() or None,
        channel=channel, date_from=_date(args, "from", errors), date_to=_date(args, "to", errors),
        lang=(args.get(RESPONDENT_LANG) or "").strip() or None, types=types,
        unsuppressed=args.get("unsuppressed") == "1", errors=errors,
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["to"] = _l("The end date is before the start date.")
    return filters
