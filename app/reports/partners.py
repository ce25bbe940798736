"""Partner responses: organisations, not people. How many of the registry's organisations answered
a partner survey, by sector, and which did not.

An organisation is named by the partner survey's stakeholders question with `relationship:
self`; several answers from one organisation count it once. These are organisations' names
already public in the network report, so no small-cell rule applies.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.models import Answer, Response, Stakeholder
from app.reporting.context import build_context, filter_rows
from app.reporting.exporting import Table
from app.reporting.filters import ReportFilters
from app.reporting.labels import SECTOR_NAMES, sector_name, survey_title
from app.reporting.sample import response_conditions
from app.reporting.scope import is_partner_survey


def self_keys(survey) -> list[str]:
    """Keys of the survey's questions that name the answering organisation."""
    version = survey.latest_version()
    return [q.key for q in version.survey_def.questions if q.type == "stakeholders" and q.relationship == "self"]


def build_partners(filters: ReportFilters, lang: str) -> dict:
    from app.models import Survey
    surveys = [s for s in db.session.scalars(sa.select(Survey).order_by(Survey.slug)) if is_partner_survey(s)]
    if filters.survey and filters.survey != "all":
        surveys = [s for s in surveys if s.slug == filters.survey]
    answered: dict[str, int] = {}
    first = last = None
    responses = 0
    for survey in surveys:
        conditions = response_conditions(ReportFilters(date_from=filters.date_from, date_to=filters.date_to), [survey])
        rows = db.session.execute(sa.select(Answer.choice, Response.submitted_at).join(Response)
                                  .where(*conditions, Answer.question_key.in_(self_keys(survey))))
        for org, when in rows:
            answered[org] = answered.get(org, 0) + 1
            first = min(first or when, when)
            last = max(last or when, when)
        responses += db.session.execute(sa.select(sa.func.count()).select_from(Response).where(*conditions)).scalar()
    registry = list(db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name)))
    sectors = []
    for sector in SECTOR_NAMES:
        members = [s for s in registry if s.sector == sector]
        if members:
            done = sum(1 for s in members if s.id in answered)
            sectors.append({"sector": sector, "label": sector_name(sector), "organisations": len(members),
                            "answered": done, "share": done / len(members)})
    organisations = [{"id": s.id, "name": s.name, "sector": s.sector, "sector_label": sector_name(s.sector),
                      "responses": answered.get(s.id, 0)} for s in registry]
    method = _("Organisations in the registry that answered a partner survey (the question naming the answering "
               "organisation); an organisation that answered more than once counts once. Partner responses are "
               "organisations, so they are not counted as people in the representation report.")
    extent = (first.date() if first else None, last.date() if last else None)
    report = {
        "n_organisations": len(registry), "n_answered": sum(1 for s in registry if s.id in answered),
        "n_responses": responses, "surveys": [{"slug": s.slug, "title": survey_title(s, lang)} for s in surveys],
        "sectors": sectors, "organisations": organisations,
        "not_answered": [o["id"] for o in organisations if not o["responses"]],
        "filters": filters.describe(), "method": method,
    }
    report["context"] = build_context(filter_rows(filters, lang, fields=("survey", "dates")), n=report["n_answered"],
                                      unit=_("organisations"), extent=extent, methods=[method])
    report["empty"] = responses == 0
    return report


def partner_tables(report: dict) -> list[Table]:
    by_sector = Table(_("By sector"), [_("Sector"), _("Organisations"), _("Answered"), _("Share")],
                      [[s["label"], s["organisations"], s["answered"], s["share"]] for s in report["sectors"]])
    organisations = Table(_("Organisations"), ["id", _("Name"), _("Sector"), _("Responses")],
                          [[o["id"], o["name"], o["sector_label"], o["responses"]] for o in report["organisations"]])
    return [by_sector, organisations]
