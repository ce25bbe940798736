"""The alignment report: where residents' and partners' priorities line up, and where they split.

Rankings come from the chosen ranking question (`question`; by default `priorities`, which
residents' surveys and the partner survey share) of every survey that has it, and from
focus-group votes when the priorities voted on are that question's choices (dot votes become
rankings); analysis.alignment does the statistics.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.localize import translator
from app.core.vocabulary import PRIORITIES_KEY  # the ranking question shown when none is chosen
from app.models import Response, ResponseRanking, Survey
from app.reporting.context import build_context, filter_rows, people_extent
from app.reporting.filters import ReportFilters
from app.reporting.labels import category_labels, dimension_name
from app.reporting.list_answers import ITEM_SEPARATOR
from app.reporting.requests import K
from app.reporting.sample import include_focus_groups, response_conditions
from app.reporting.scope import stored_category

RESIDENTS, PARTNERS, FOCUS_GROUPS = "residents", "partners", "focus_groups"


def ranking_questions(lang: str) -> list[tuple[str, str]]:
    """[(key, label in `lang`)] of every survey's ranking questions, `priorities` first."""
    found: dict[str, str] = {}
    for survey in db.session.scalars(sa.select(Survey).order_by(Survey.slug)):
        version = survey.latest_version()
        if version is None:
            continue
        t = translator(version.survey_def, lang)
        for q in version.survey_def.questions:
            if q.type == "ranking":
                found.setdefault(q.key, str(t(f"{q.key}.label", q.label)))
    return sorted(found.items(), key=lambda item: (item[0] != PRIORITIES_KEY, item[1]))


def check_question(filters: ReportFilters, lang: str) -> ReportFilters:
    """An unknown ranking question is a filter error (400 in the API), naming the ones there are."""
    keys = [key for key, _label in ranking_questions(lang)]
    if filters.question and filters.question not in keys:
        filters.errors["question"] = _("There is no ranking question %(key)s. Choose one of: %(keys)s.",
                                       key=filters.question, keys=", ".join(keys) or "–")
    return filters


def chosen_question(filters: ReportFilters, lang: str) -> str | None:
    """The ranking question to compare: the `question` filter, else `priorities`, else the first."""
    keys = [key for key, _label in ranking_questions(lang)]
    if filters.question:
        return filters.question
    return PRIORITIES_KEY if PRIORITIES_KEY in keys or not keys else keys[0]


def priority_items(surveys: list[Survey], lang: str, key: str = PRIORITIES_KEY) -> dict[str, str]:
    """{choice value: label in `lang`} of the ranking question `key`, in the first survey's order."""
    items: dict[str, str] = {}
    for survey in surveys:
        version = survey.latest_version()
        question = version.survey_def.question(key) if version else None
        if question is not None and question.type == "ranking":
            t = translator(version.survey_def, lang)
            for c in question.choices:
                items.setdefault(c.value, str(t(f"{key}.choice.{c.value}", c.label)))
    return items


def ranking_counts(filters: ReportFilters, surveys: list[Survey], key: str = PRIORITIES_KEY,
                   by: str | None = None) -> dict[str | None, list[tuple[list[str], int]]]:
    """{category on `by` (None without `by`, or for no answer): [(ranking, raters)]} for the
    surveys' ranking question `key`; rankings list choices most important first. Categories and
    rankings come in the order of the first response that gave them.

    Each response's ranking is stored whole in response_rankings when it is submitted, so the
    database counts the responses per (category, ranking) from one row per response, and a few
    hundred rows leave it. Pivoting the answers instead (three rows per response) took ~10 s at
    a million responses on PostgreSQL."""
    category = stored_category(by) if by else sa.null()
    counted = (sa.select(category.label("category"), ResponseRanking.ranking, sa.func.count(), sa.func.min(Response.id))
               .join(Response, Response.id == ResponseRanking.response_id)
               .where(*response_conditions(filters, surveys), ResponseRanking.question_key == key)
               .group_by(*([category] if by else []), ResponseRanking.ranking))
    rows = sorted(db.session.execute(counted), key=lambda row: row[-1])  # by first response
    counts: dict[str | None, list] = {}
    for value, ranking, raters, _first in rows:
        counts.setdefault(value, []).append((ranking.split(ITEM_SEPARATOR), raters))
    return counts


def expand(counted: list[tuple[list[str], int]]) -> list[list[str]]:
    """One ranking per rater (the same list object repeated: analysis ranks it once)."""
    return [ranking for ranking, raters in counted for _ in range(raters)]


def gather(filters: ReportFilters, by: str | None, key: str = PRIORITIES_KEY
           ) -> tuple[dict[str, list], dict[str, str], dict]:
    """({group: [rankings]}, {priority: label}, notes) for the ranking question `key`. Groups under
    K raters are left out, and said."""
    all_surveys = list(db.session.scalars(sa.select(Survey).order_by(Survey.slug)))
    resident = [s for s in all_surveys if (v := s.latest_version()) and v.survey_def.kind == "resident"
                and (not filters.survey or filters.survey in ("all", s.slug))]
    partner = [s for s in all_surveys if (v := s.latest_version()) and v.survey_def.kind == "partner"]
    groups: dict[str, list] = {}
    items = priority_items(resident + partner, _lang(), key)
    residents = ranking_counts(filters, resident, key, by) if resident and filters.channel != "focus_group" else {}
    for value, counted in residents.items():
        groups[f"{RESIDENTS}: {'missing' if value is None else value}" if by else RESIDENTS] = expand(counted)
    if include_focus_groups(filters):
        from app.focus_groups.queries import vote_rankings
        votes = vote_rankings({"since": filters.date_from, "until": filters.date_to, "lang": filters.lang})  # the respondents' language
        # Votes are on the priorities of the session's survey: they join a question with those choices.
        votes = [v for v in votes if set(v) <= set(items)]
        if votes:
            groups[FOCUS_GROUPS] = votes
    partners = (ranking_counts(ReportFilters(date_from=filters.date_from, date_to=filters.date_to), partner, key)
                if partner else {})
    if partners:
        groups[PARTNERS] = expand(partners[None])
    small = sorted(g for g, rankings in groups.items() if len(rankings) < K)
    groups = {g: r for g, r in groups.items() if len(r) >= K}
    return groups, items, {"suppressed_groups": small}


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
    key = chosen_question(filters, _lang())
    groups, items, notes = gather(filters, by, key)
    surveys = list(db.session.scalars(sa.select(Survey)))
    labels = category_labels(surveys, _lang())
    notes["suppressed_group_labels"] = [group_label(g, by, labels) for g in notes["suppressed_groups"]]
    questions = dict(ranking_questions(_lang()))
    base = {"filters": filters.describe(), "by": by, "by_label": dimension_name(by) if by else None,
            "question": key, "question_label": questions.get(key, key), "questions": questions,
            "group_labels": {g: group_label(g, by, labels) for g in groups}, "items": items, **notes,
            "method": _("Kendall's W with the tie correction over all raters (chi-square test); a partial "
                        "ranking puts the priorities left out tied for last; dot votes become rankings, most "
                        "dots first; groups are compared by Kendall's tau-b between their mean ranks; a priority "
                        "is consensus only when every group ranks it alike (after Pol.is group-informed "
                        "consensus), divisive when rankings spread more than chance or two groups' mean ranks are "
                        "at least a third of the ranking apart; groups of fewer than %(k)s raters are left out.", k=K)}
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


def alignment_context(report: dict, filters: ReportFilters, lang: str) -> dict:
    """The alignment report's context: filters, raters counted, dates, method (page, export, JSON)."""
    extra = [(_("Ranking question"), report["question_label"])]
    if report.get("by"):
        extra.append((_("Residents split by"), report["by_label"]))
    report["context"] = build_context(filter_rows(filters, lang, extra=extra), n=report.get("n_raters") or 0,
                                      unit=_("rankings"), extent=people_extent(filters), methods=[report["method"]])
    return report
