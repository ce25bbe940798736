"""The web form where a partner reports values of its own indicators (endpoints indicator_values.*).

Mounted at /partner/indicators. A partner sees and reports the reported indicators that name its
organisation in `reported_by`; an admin, every reported indicator. The form is checked by the
same code as the CSV import and the API (app.indicators.reported): a mistake is shown beside its
field in the reader's language and nothing is stored; posting another organisation's indicator
is a 403.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from analysis.periods import format_hint
from app.core import audit
from app.core.extensions import db
from app.indicators.reported import Catalogue, check_value_records, foreign_indicators, reported_rows, store_values
from app.indicators.texts import localized

FIELDS = ("indicator", "period", "geography", "value", "source")
#: Values shown under each indicator, newest first.
RECENT = 6


def _reportable(catalogue: Catalogue) -> list[tuple[int, object]]:
    found = []
    for _key, (indicator_id, indicator, _version) in sorted(catalogue.indicators.items()):
        if not indicator.reported:
            continue
        if current_user.role == "partner" and current_user.stakeholder_id not in indicator.reported_by:
            continue
        found.append((indicator_id, indicator))
    return found


def _page(catalogue: Catalogue, errors: dict | None = None, status: int = 200):
    items = [{"key": ind.key, "title": localized(ind)["title"], "frequency": ind.frequency,
              "example": format_hint(ind.frequency),
              "recent": list(reversed(reported_rows(indicator_id, None, None)))[:RECENT]}
             for indicator_id, ind in _reportable(catalogue)]
    return render_template("partner/indicator_values.html", items=items, errors=errors or {},
                           geographies=sorted(catalogue.geographies)), status


def index():
    return _page(Catalogue.current())


def report():
    catalogue = Catalogue.current()
    raw = {name: request.form.get(name, "") for name in FIELDS}
    records = [(1, raw)]
    if foreign_indicators(records, current_user, catalogue):
        abort(403)
    clean, errors = check_value_records(records, catalogue)
    if errors:
        return _page(catalogue, {e.field or "indicator": e.message for e in errors}, 422)
    applied = store_values(clean, via="form", user=current_user)
    audit.record("import", "indicator-values", via="form", created=len(applied.created), updated=len(applied.updated))
    db.session.commit()
    flash(_("Saved: %(indicator)s for %(period)s.", indicator=raw["indicator"], period=raw["period"]))
    return redirect(url_for("indicator_values.index"))
