"""Admin: see and correct population baselines (routes on the admin blueprint)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit
from app.admin.routes import bp
from app.extensions import db
from app.models import PopulationBaseline


@bp.get("/baselines")
def baselines():
    geography = request.args.get("geography")
    geographies = list(db.session.scalars(sa.select(PopulationBaseline.geography).distinct().order_by(PopulationBaseline.geography)))
    geography = geography if geography in geographies else (geographies[0] if geographies else None)
    rows = db.session.scalars(sa.select(PopulationBaseline).where(PopulationBaseline.geography == geography)
                              .order_by(PopulationBaseline.dimension, PopulationBaseline.year, PopulationBaseline.category))
    return render_template("admin/baselines.html", rows=list(rows), geographies=geographies, geography=geography)


@bp.post("/baselines/<int:baseline_id>")
def update_baseline(baseline_id: int):
    row = db.session.get(PopulationBaseline, baseline_id) or abort(404)
    raw = request.form.get("population", "").replace(",", "").strip()
    if not raw.isdigit():
        flash(_("Population must be a whole number of people, 0 or more: nothing was changed."), "error")
    else:
        before = row.population
        row.population = int(raw)
        row.source = request.form.get("source", row.source).strip()[:300]
        audit.record("baseline_change", f"baseline:{row.id}", before=before, after=row.population)
        db.session.commit()
        flash(_("Saved."))
    return redirect(url_for("admin.baselines", geography=row.geography))
