"""Admin: the population baselines of one geography and year, edited as a table (routes on the
admin blueprint). The table's logic is in app/baselines/table.py."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.baselines import table as baseline_table
from app.core import audit
from app.core.extensions import db


def _place() -> tuple[str, int] | None:
    """The (geography, year) asked for, else the first there is; None when there are no figures."""
    places = baseline_table.places()
    year, _sep, geography = request.args.get("place", "").partition(":")  # the page's picker: "2024:city"
    wanted = (request.values.get("geography", geography), request.values.get("year", type=int,
                                                                        default=int(year) if year.isdigit() else None))
    if wanted in places:
        return wanted
    same_geography = [p for p in places if p[0] == wanted[0]]
    return (same_geography or places or [None])[-1 if same_geography else 0]


def _render(table, status: int = 200):
    return render_template("admin/baselines.html", table=table, places=baseline_table.places(),
                           state=baseline_table.state(table.geography, table.year) if table else "",
                           cell_name=baseline_table.cell_name), status


def baselines():
    place = _place()
    return _render(baseline_table.build(*place) if place else None)


def save_baselines():
    """Save the whole table: every cell is checked first; any error stores nothing (422)."""
    place = _place()
    if place is None or (request.form.get("geography"), request.form.get("year", type=int)) != place:
        abort(404)
    geography, year = place
    if request.form.get("state") != baseline_table.state(geography, year):
        flash(_("Someone changed these figures while you were editing them. Here they are now: "
                "make your changes again."), "error")
        return _render(baseline_table.build(geography, year), 409)
    table = baseline_table.build(geography, year)
    baseline_table.read_form(table, request.form)
    if table.has_errors:
        return _render(table, 422)
    changed = baseline_table.save(table)
    if changed:
        audit.record("baseline_change", f"baseline:{geography}:{year}", changes=changed)
    db.session.commit()
    flash(ngettext("Saved: %(num)d change.", "Saved: %(num)d changes.", len(changed)) if changed
          else _("Nothing had changed."))
    return redirect(url_for("baselines.baselines", geography=geography, year=year))
