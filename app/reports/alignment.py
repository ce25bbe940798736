"""The alignment report: where residents' and partners' priorities line up, and where they split.

Rankings come from every survey's `priorities` ranking question (residents' surveys and the
partner survey share its choice values) and from focus-group votes (dot votes become rankings);
analysis.alignment does the statistics.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.extensions import db
from app.localize import translator
from app.models import Answer, Response, Survey
from app.reports.filters import ReportFilters
from app.reports.labels import category_labels, dimension_name
from app.reports.representation import K
from app.reports.sample import include_focus_groups, response_conditions, stored_category

#: The question key every survey uses for its priorities ranking (see surveys/README.md).
PRIORITIES_KEY = "priorities"
RESIDENTS, PARTNERS, FOCUS_GROUPS = "residents", "partners", "focus_groups"


def priority_items(surveys: list[Survey], lang: str) -> dict[str, str]:
    """{choice value: label in `lang`} of the priorities question, in the first survey's order."""
    items: dict[str, str] = {}
    for survey in surveys:
        version = survey.latest_version()
        question = version.survey_def.question(PRIORITIES_KEY) if version else None
        if question is not None:
            t = translator(version.survey_def, lang)
            for c in question.choices:
                items.setdefault(c.value, str(t(f"{PRIORITIES_KEY}.choice.{c.value}", c.label)))
    return items


def survey_rankings(filters: ReportFilters, surveys: list[Survey]) -> dict[int, list[str]]:
    """{response id: [priority, …] most important first} for the surveys' priorities question."""
    rankings: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.choice).join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(filters, surveys), Answer.question_key == PRIORITIES_KEY)
        .order_by(Answer.response_id, Answer.position))
    for response_id, choice in rows:
        rankings[response_id].append(choice)
    return dict(rankings)


def response_categories(filters: ReportFilters, surveys: list[Survey], dimension: str) -> dict[int, str]:
    """{response id: category on `dimension`} for the responses that gave one."""
    category = stored_category(dimension)
    rows = db.session.execute(sa.select(Response.id, category)
                              .where(*response_conditions(filters, surveys), category.is_not(None)))
    return {response_id: choice for response_id, choice in rows}


def gather(filters: ReportFilters, by: str | None) -> tuple[dict[str, list], dict[str, str], dict]:
    """({group: [rankings]}, {priority: label}, notes). Groups under K raters are left out, and said."""
    all_surveys = list(db.session.scalars(sa.select(Survey).order_by(Survey.slug)))
    resident = [s for s in all_surveys if (v := s.latest_version()) and v.survey_def.kind == "resident"
                and (not filters.survey or filters.survey in ("all", s.slug))]
    partner = [s for s in all_surveys if (v := s.latest_version()) and v.survey_def.kind == "partner"]
    groups: dict[str, list] = {}
    residents = survey_rankings(filters, resident) if resident and filters.channel != "focus_group" else {}
    if by:
        categories = response_categories(filters, resident, by)
        for response_id, ranking in residents.items():
            groups.setdefault(f"{RESIDENTS}: {categories.get(response_id, 'missing')}", []).append(ranking)
    elif residents:
        groups[RESIDENTS] = list(residents.values())
    if include_focus_groups(filters):
        from app.facilitate.queries import vote_rankings
        votes = vote_rankings({"since": filters.date_from, "until": filters.date_to, "lang": filters.lang})  # the respondents' language
        if votes:
            groups[FOCUS_GROUPS] = votes
    partners = survey_rankings(ReportFilters(date_from=filters.date_from, date_to=filters.date_to), partner) if partner else {}
    if partners:
        groups[PARTNERS] = list(partners.values())
    small = sorted(g for g, rankings in groups.items() if len(rankings) < K)
    groups = {g: r for g, r in groups.items() if len(r) >= K}
    return groups, priority_items(resident + partner, _lang()), {"suppressed_groups": small}


def _lang() -> str:
    from flask_babel import get_locale
    return str(get_locale() or "en")


def group_label(group: str, by: str | None, labels: dict) -> str:
    names = {RESIDENTS: _("Residents"), PARTNERS: _("Partners"), FOCUS_GROUPS: _("Focus groups")}
    if group in names:
        return names[group]
    category = group.split(": ", 1)[1]
    return _("Residents, %(group)s", group=labels.get(by, {}).get(category, category))


def build_alignment(filters: ReportFilters, by: str | None = None) -> dict:
    from analysis.alignment import AlignmentInputError, alignment_report
    groups, items, notes = gather(filters, by)
    surveys = list(db.session.scalars(sa.select(Survey)))
    labels = category_labels(surveys, _lang())
    base = {"filters": filters.describe(), "by": by, "by_label": dimension_name(by) if by else None,
            "group_labels": {g: group_label(g, by, labels) for g in groups}, "items": items, **notes,
            "method": _("Kendall's W with the tie correction over all raters (chi-square test); a partial "
                        "ranking puts the priorities left out tied for last; dot votes become rankings, most "
                        "dots first; groups are compared by Kendall's tau-b between their mean ranks; a priority "
                        "is consensus only when every group ranks it alike (after Pol.is group-informed "
                        "consensus), divisive when rankings spread more than chance or groups sit on opposite "
                        "sides; groups of fewer than %(k)s raters are left out.", k=K)}
    if sum(len(r) for r in groups.values()) < 2:
        return {**base, "kendalls_w": None, "priorities": [], "groups": {}, "differences": [],
                "note": _("Not enough rankings yet.")}
    try:
        report = alignment_report(groups, items=list(items))
    except AlignmentInputError as exc:
        return {**base, "kendalls_w": None, "priorities": [], "groups": {}, "differences": [], "note": str(exc)}
    for priority in report["priorities"]:
        priority["name"] = items.get(priority["key"], priority["key"])
    means = {p["key"]: p["by_group"] for p in report["priorities"]}
    report["differences"] = [difference_sentence(d, means[d["key"]], items, base["group_labels"])
                             for d in report["largest_differences"][:5]]
    return {**report, **base}


def difference_sentence(difference: dict, means: dict, items: dict, group_labels: dict) -> dict:
    """'Good jobs: Partners rank it 1.0 on average, Residents 3.8 (1 is most important).'"""
    a, b = difference["groups"]
    return {**difference, "text": _(
        "%(priority)s: %(first)s rank it %(a)s on average, %(second)s %(b)s (1 is most important).",
        priority=items.get(difference["key"], difference["key"]), first=group_labels.get(a, a),
        second=group_labels.get(b, b), a=format_decimal(means[a], "0.0"), b=format_decimal(means[b], "0.0"))}
