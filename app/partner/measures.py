"""A partner organisation's own performance measures: define them, report a value per period
(routes on the partner blueprint). A partner may touch only its own organisation's measures (403
otherwise); the backbone's admins may report for any partner, and that shows."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.extensions import db
from app.models import PartnerMeasure, Stakeholder
from app.models.scorecard import FREQUENCIES, MEASURE_KINDS
from app.scorecard import measures
from app.scorecard.periods import EXAMPLES, REPORTING_GRACE, due_date, reportable
from app.scorecard.source import indicator_titles


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _render(status: int = 200, errors: dict | None = None, values: dict | None = None, failed: int | None = None):
    today = _today()
    rows = []
    for measure in measures.measures_for(current_user):
        reported = {r.period: r for r in measures.history(measure)}
        periods = reportable(today, measure.frequency)
        rows.append({"measure": measure, "history": [reported[p] for p in sorted(reported)],
                     "periods": periods, "next": next((p for p in reversed(periods) if p not in reported), periods[-1]),
                     "due": {p: due_date(p, measure.frequency) for p in periods},
                     "state": {p: measures.timeliness(reported.get(p), measure, p, today) for p in periods}})
    organisations = (list(db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name)))
                     if current_user.role == "admin" else [])
    return render_template("partner/measures.html", rows=rows, kinds=MEASURE_KINDS, frequencies=FREQUENCIES,
                           examples=EXAMPLES, grace=REPORTING_GRACE, indicators=indicator_titles(),
                           organisations=organisations, errors=errors or {}, values=values or {},
                           failed=failed), status


def measures_page():
    return _render()


def measure_new():
    """Define a measure for the user's own organisation (an admin names the organisation)."""
    owner = current_user.stakeholder_id if current_user.role == "partner" else request.form.get("stakeholder_id")
    if not owner or db.session.get(Stakeholder, owner) is None:
        # A partner account not tied to an organisation: nothing it could report for (the page says so).
        return _render(422, {"stakeholder_id": _("Choose the organisation the measure belongs to.")}, request.form)
    clean, errors = measures.check_measure(request.form)
    if clean["indicator_key"] and clean["indicator_key"] not in indicator_titles():
        errors["indicator_key"] = _("There is no indicator called %(key)s.", key=clean["indicator_key"][:64])
    if errors:
        return _render(422, errors, request.form)
    measure = PartnerMeasure(stakeholder_id=owner, **clean)
    db.session.add(measure)
    db.session.flush()
    audit.record("measure_create", f"measure:{measure.id}", stakeholder=owner)
    db.session.commit()
    flash(_("%(title)s was added.", title=measure.title))
    return redirect(url_for("partner.measures_page"))


def measure_report(measure_id: int):
    """Report (or correct) one period's value; another organisation's measure is a 403."""
    measure = db.get_or_404(PartnerMeasure, measure_id)
    if not measures.may_report(current_user, measure):
        abort(403)
    clean, errors = measures.check_report(measure, request.form, _today())
    if errors:
        return _render(422, errors, request.form, failed=measure.id)
    row, created = measures.store_report(measure, clean, current_user)
    audit.record("measure_report" if created else "measure_correct", f"measure:{measure.id}",
                 period=row.period, value=row.value)
    db.session.commit()
    flash(_("%(title)s, %(period)s: saved.", title=measure.title, period=row.period))
    return redirect(url_for("partner.measures_page"))
