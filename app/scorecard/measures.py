"""Partner performance measures: checking and storing a reported value (flush only), and who has
reported, on time or late, for the backbone's overview."""
from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.models import MeasureReport, PartnerMeasure
from app.models.scorecard import FREQUENCIES, MEASURE_KINDS
from app.scorecard.periods import EXAMPLES, due_date, is_period, period_end, reportable

#: Periods shown per measure in the backbone's overview.
OVERVIEW_PERIODS = 4


def may_report(user, measure: PartnerMeasure) -> bool:
    """A partner reports only its own organisation's measures; the backbone's admins any."""
    return user.role == "admin" or (user.role == "partner" and user.stakeholder_id == measure.stakeholder_id)


def measures_for(user) -> list[PartnerMeasure]:
    """The measures `user` may report: its organisation's, or every one for an admin."""
    query = sa.select(PartnerMeasure)
    if user.role != "admin":
        query = query.where(PartnerMeasure.stakeholder_id == user.stakeholder_id)
    return sorted(db.session.scalars(query), key=_rba_order)


def _rba_order(measure: PartnerMeasure) -> tuple:
    """By partner, then in RBA's order: how much, how well, better off."""
    return measure.stakeholder_id, MEASURE_KINDS.index(measure.kind), measure.id


def check_measure(raw: dict) -> tuple[dict, dict]:
    """(clean values, {field: message}) for a new measure's form values."""
    clean, errors = {}, {}
    title = (raw.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the measure a name.")
    clean["title"] = title[:200]
    if raw.get("kind") not in MEASURE_KINDS:
        errors["kind"] = _("Choose what the measure counts.")
    clean["kind"] = raw.get("kind")
    if raw.get("frequency") not in FREQUENCIES:
        errors["frequency"] = _("Choose how often it is reported.")
    clean["frequency"] = raw.get("frequency")
    clean["unit"] = (raw.get("unit") or "").strip()[:40]
    clean["target"], error = _number(raw.get("target"), required=False)
    if error:
        errors["target"] = error
    clean["indicator_key"] = raw.get("indicator_key") or None
    return clean, errors


def _number(text, *, required: bool) -> tuple[float | None, str | None]:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None, (_("Enter a number.") if required else None)
    try:
        value = float(text)
    except ValueError:
        return None, _("'%(value)s' is not a number. Write it with digits, such as 120 or 0.75.", value=text[:40])
    if not math.isfinite(value):
        return None, _("'%(value)s' is not a number. Write it with digits, such as 120 or 0.75.", value=text[:40])
    return value, None


def check_report(measure: PartnerMeasure, raw: dict, today: dt.date) -> tuple[dict, dict]:
    """(clean values, {field: message}) for a reported value: a period in the measure's own format
    that has ended, and a number."""
    clean, errors = {}, {}
    period = (raw.get("period") or "").strip()
    if not is_period(period, measure.frequency):
        errors["period"] = _("'%(period)s' is not a period of this measure: write it like %(example)s.",
                             period=period[:20], example=EXAMPLES[measure.frequency])
    elif period_end(period, measure.frequency) >= today:
        errors["period"] = _("%(period)s has not ended yet: report it once it has.", period=period)
    clean["period"] = period
    clean["value"], error = _number(raw.get("value"), required=True)
    if error:
        errors["value"] = error
    clean["note"] = (raw.get("note") or "").strip()[:2000]
    return clean, errors


def store_report(measure: PartnerMeasure, clean: dict, user) -> tuple[MeasureReport, bool]:
    """Store or correct one period's value (flush only); (row, created). A correction keeps the
    first reported_at, so a late figure stays late and an on-time one stays on time."""
    row = db.session.scalar(sa.select(MeasureReport).where(MeasureReport.measure_id == measure.id,
                                                           MeasureReport.period == clean["period"]))
    created = row is None
    if created:
        row = MeasureReport(measure_id=measure.id, period=clean["period"])
        db.session.add(row)
    row.value, row.note, row.reported_by = clean["value"], clean["note"], user.id
    db.session.flush()
    return row, created


def timeliness(report: MeasureReport | None, measure: PartnerMeasure, period: str, today: dt.date) -> str:
    """"on_time", "late" (first reported after the due date), "overdue" (not reported, past due)
    or "not_due" (not reported, not due yet)."""
    due = due_date(period, measure.frequency)
    if report is not None:
        return "on_time" if report.reported_at.date() <= due else "late"
    return "overdue" if today > due else "not_due"


def overview(today: dt.date) -> list[dict]:
    """Every measure with its last OVERVIEW_PERIODS periods: value, due date and timeliness."""
    measures = sorted(db.session.scalars(sa.select(PartnerMeasure)), key=_rba_order)
    reports = {(r.measure_id, r.period): r for r in db.session.scalars(sa.select(MeasureReport))}
    rows = []
    for measure in measures:
        cells = []
        for period in reportable(today, measure.frequency, OVERVIEW_PERIODS):
            report = reports.get((measure.id, period))
            cells.append({"period": period, "due": due_date(period, measure.frequency), "report": report,
                          "state": timeliness(report, measure, period, today)})
        rows.append({"measure": measure, "cells": cells})
    return rows


def history(measure: PartnerMeasure) -> list[MeasureReport]:
    """A measure's reported values, oldest period first."""
    return list(db.session.scalars(sa.select(MeasureReport).where(MeasureReport.measure_id == measure.id)
                                   .order_by(MeasureReport.period)))
