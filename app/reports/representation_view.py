"""What the representation page and API add around the figures: filters that count people only,
the report's context (filters as labels, data extent, method once), the geography's label, the
questions the weighted view can show, and a plain "nobody" when the filters match no one.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import Survey
from app.reporting import scope
from app.reporting.context import build_context, filter_rows, people_extent
from app.reporting.filters import ReportFilters, parse_filters
from app.reporting.labels import category_labels, geography_name
from app.reporting.sample import selected_surveys

NOT_PEOPLE = _l("A partner survey is answered by organisations, not people, so it cannot be compared with a "
                "population. See the partner responses report for it.")


def representation_filters(args) -> ReportFilters:
    """The query string's filters, counting people only: partner surveys are left out of "all
    surveys", and asking for one by name is an error that points to the partner view."""
    filters = parse_filters(args)
    filters.people_only = True
    if filters.survey and filters.survey != "all":
        survey = Survey.by_slug(filters.survey)
        if survey is not None and scope.is_partner_survey(survey):
            filters.errors["survey"] = NOT_PEOPLE
    return filters


def weighted_choices(filters: ReportFilters, lang: str) -> list[tuple[str, str]]:
    """[(question key, label)] of the choice questions the weighted view can show."""
    from app.core.localize import translator
    from app.questions import question_type
    found: dict[str, str] = {}
    for survey in selected_surveys(filters):
        version = survey.latest_version()
        if version is None:
            continue
        t = translator(version.survey_def, lang)
        for q in version.survey_def.questions:
            if question_type(q.type).shared_in_reports and not q.dimension:
                found.setdefault(q.key, str(t(f"{q.key}.label", q.label)))
    return list(found.items())


def decorate(report: dict, filters: ReportFilters, lang: str, weighted: dict | None) -> dict:
    """Add `context`, `geography_label`, `geography_filters_people` and `empty` to the report."""
    labels = category_labels(selected_surveys(filters), lang)
    report["geography_labels"] = {g: geography_name(g, labels) for g in report.get("geographies", [])}
    report["geography_label"] = geography_name(report["geography"], labels) if report.get("geography") else None
    categories = scope.geography_categories(report.get("geography"))
    report["geography_filters_people"] = categories is not None
    if categories == [report.get("geography")]:
        where = _("%(geography)s (respondents who live there)", geography=report["geography_label"])
    elif categories is not None:
        where = _("%(geography)s (respondents who live there: %(neighbourhoods)s)", geography=report["geography_label"],
                  neighbourhoods=", ".join(labels.get(scope.GEOGRAPHY_DIMENSION, {}).get(c, c) for c in categories))
    else:
        where = _("%(geography)s (every respondent)", geography=report["geography_label"] or "–")
    extra = [(_("Population of"), where)]
    if weighted:
        extra.append((_("Weighted view of"), weighted["label"]))
    dimension_methods = [d.get("method") for d in report["dimensions"] if d.get("method")]
    report["context"] = build_context(
        filter_rows(filters, lang, extra=extra), n=report["n"], unit=_("people"), extent=people_extent(filters),
        methods=[report.get("score_method"), dimension_methods[0] if dimension_methods else None,
                 _("Counts from 1 to %(max)s are suppressed, with further cells where needed so that a hidden "
                   "count cannot be worked out from the totals.", max=report["k"] - 1)], k=report["k"])
    report["empty"] = report["n"] == 0
    if report["empty"]:
        report["message"] = _("No one matches these filters: no response or focus-group participant in this "
                              "selection. Widen the dates or choose another survey, channel or language.")
    return report
