"""What a report was computed from, stated once per report: the filters (as labels), the date it
was made, the data's extent (how many, over which dates) and the method. The page shows it at
the top (and the printed page carries it), exports start with it, the JSON has it as `context`.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.i18n import language_name
from app.models import FocusGroup, Participant, Response, Survey
from app.reporting.exporting import Table
from app.reporting.filters import ALL, ReportFilters
from app.reporting.labels import RELATIONSHIP_NAMES, channel_name, survey_title


def filter_rows(filters: ReportFilters, lang: str, *, fields=("survey", "channel", "dates", "respondent_lang"),
                extra: list[tuple[str, str]] = ()) -> list[dict]:
    """[{"filter", "value"}] in the reader's language, one per filter the report reads."""
    rows: list[tuple[str, str]] = []
    if "survey" in fields:
        survey = Survey.by_slug(filters.survey) if filters.survey and filters.survey != ALL else None
        if survey is not None:
            value = survey_title(survey, lang)
        elif filters.people_only:
            value = _("All surveys of residents, and focus groups (partner surveys are not people)")
        else:
            value = _("All surveys")
        rows.append((_("Survey"), value))
    if "channel" in fields:
        rows.append((_("Channel"), _("All channels") if filters.channel == ALL else channel_name(filters.channel)))
    if "dates" in fields:
        rows.append((_("Dates"), date_range(filters.date_from, filters.date_to)))
    if "respondent_lang" in fields:
        rows.append((_("Respondents' language"), language_name(filters.lang) if filters.lang else _("All languages")))
    if "types" in fields:
        rows.append((_("Relationship types"), ", ".join(str(RELATIONSHIP_NAMES.get(t, t)) for t in filters.types)
                     or _("All types")))
    rows.extend(extra)
    return [{"filter": name, "value": value} for name, value in rows]


def date_range(first: dt.date | None, last: dt.date | None) -> str:
    if first and last:
        return _("%(first)s to %(last)s", first=format_date(first, "medium"), last=format_date(last, "medium"))
    if first:
        return _("from %(first)s", first=format_date(first, "medium"))
    if last:
        return _("until %(last)s", last=format_date(last, "medium"))
    return _("Any date")


def people_extent(filters: ReportFilters) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) date of the responses and focus-group sessions a people report counts."""
    from app.reporting.sample import include_focus_groups, participant_conditions, response_conditions, selected_surveys
    dates = []
    surveys = selected_surveys(filters)
    if filters.channel != "focus_group" and surveys:
        # Two ordered look-ups, not min() and max() in one: each is an index seek
        # (ix_responses_survey_submitted) where one query with both reads every response.
        ordered = sa.select(Response.submitted_at).where(*response_conditions(filters, surveys)).limit(1)
        first = db.session.scalar(ordered.order_by(Response.submitted_at.asc()))
        last = db.session.scalar(ordered.order_by(Response.submitted_at.desc()))
        dates += [d.date() if isinstance(d, dt.datetime) else d for d in (first, last) if d is not None]
    if include_focus_groups(filters):
        first, last = db.session.execute(sa.select(sa.func.min(FocusGroup.date), sa.func.max(FocusGroup.date))
                                         .select_from(Participant).join(FocusGroup)
                                         .where(*participant_conditions(filters))).one()
        dates += [d for d in (first, last) if d is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def build_context(filter_list: list[dict], *, n: int | None, unit: str, extent: tuple, methods: list[str],
                  k: int = 5) -> dict:
    """The context block: `unit` says what n counts ("people", "texts", "organisations", …).

    `n` is None when the report suppresses it (1 to k-1 people): then the count is said as
    "fewer than k" and the dates are not given, since a selection of one person would date
    their answer."""
    today = dt.date.today()
    first, last = extent if n is not None else (None, None)
    return {"generated": today.isoformat(), "generated_label": format_date(today, "long"),
            "filters": filter_list, "n": n, "unit": unit,
            "n_label": format_decimal(n) if n is not None else _("fewer than %(k)s", k=k),
            "first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
            "extent_label": (date_range(first, last) if (first or last) else _("No data in this selection"))
            if n is not None else _("not shown for so few people"),
            "methods": [m for m in methods if m]}


def context_table(context: dict, title: str) -> Table:
    """The context as the first table of an export."""
    rows = [[_("Report"), title], [_("Made on"), context["generated"]]]
    rows += [[row["filter"], row["value"]] for row in context["filters"]]
    rows += [[_("Counted"), f'{context["n_label"]} ({context["unit"]})'], [_("Data from"), context["extent_label"]]]
    rows += [[_("Method"), method] for method in context["methods"]]
    return Table(_("About this report"), [_("Item"), _("Value")], rows)
