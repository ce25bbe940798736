"""The scorecard and "turn the curve" pages for the backbone (endpoints scorecard.*): every
indicator by result, one indicator's curve with its story and actions, who of the partners has
reported, and (admins) what the public page shows.

Route → filters → app.scorecard.source (the indicators service's figures) → page. Writes: form →
check → flush → one commit → redirect.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.extensions import db
from app.models import IndicatorAction, Stakeholder
from app.models.scorecard import ACTION_STATUSES
from app.scorecard import actions as operations
from app.scorecard import measures, publication, source
from app.scorecard.charts import curve_chart, sparkline
from app.scorecard.periods import REPORTING_GRACE
from app.scorecard.story import story_context


def _filters() -> tuple[source.Filters, dict]:
    """The page's filters and the choices it offers; an unknown value is an error, not ignored."""
    options = source.filter_options()
    filters, errors = source.parse_filters(request.args, options)
    return filters, {"options": options, "errors": errors}


def index():
    filters, extra = _filters()
    lang = str(get_locale())
    cards = source.scorecard(filters, lang) if not extra["errors"] else []
    for card in cards:
        card["spark"] = sparkline(card["series"])
    results = source.group_by_result(cards)
    status = 422 if extra["errors"] else 200
    return render_template("scorecard/index.html", results=results, filters=filters,
                           status_rule=source.status_rule() if cards else "", **extra), status


def indicator(key: str):
    filters, extra = _filters()
    lang = str(get_locale())
    detail = source.indicator(key, filters, lang, dimension=request.args.get("tab")) if not extra["errors"] else None
    if detail is None and not extra["errors"]:
        abort(404)
    chart = curve_chart(detail["periods"], detail["forecast"], detail["targets"], detail["baseline"],
                        detail["frequency"], unit=detail["unit"]) if detail else None
    period = request.args.get("period") or (detail["latest"]["period"] if detail and detail["latest"] else None)
    story = story_context(key, period, detail, lang) if detail and period else None
    partners = _partners_with_a_role(key)
    return render_template("scorecard/indicator.html", detail=detail, chart=chart, story=story, period=period,
                           filters=filters, actions=operations.actions_for(key), partners=partners,
                           key=key, all_periods=request.args.get("all") == "1", **extra), 422 if extra["errors"] else 200


def _partners_with_a_role(key: str) -> list[dict]:
    """Partners from the registry with a role in this indicator: those leading its actions and
    those whose own measures serve it (with each measure's latest reported value)."""
    from app.models import PartnerMeasure
    leading = set(db.session.scalars(sa.select(IndicatorAction.owner_id).where(
        IndicatorAction.indicator_key == key, IndicatorAction.owner_id.is_not(None))))
    serving = list(db.session.scalars(sa.select(PartnerMeasure).where(PartnerMeasure.indicator_key == key)))
    ids = leading | {m.stakeholder_id for m in serving}
    found = db.session.scalars(sa.select(Stakeholder).where(Stakeholder.id.in_(ids)).order_by(Stakeholder.name))
    return [{"stakeholder": s, "leads": s.id in leading,
             "measures": [{"measure": m, "latest": (measures.history(m) or [None])[-1]}
                          for m in serving if m.stakeholder_id == s.id]} for s in found]


def save_story(key: str):
    period = request.form.get("period", "")
    detail = source.indicator(key, source.Filters(), str(get_locale()))
    if detail is None:
        abort(404)
    if period not in {p["period"] for p in detail["periods"]}:
        flash(_("There is no period %(period)s for this indicator.", period=period[:20]), "error")
        return redirect(url_for(".indicator", key=key), 303)
    context = story_context(key, period, detail, str(get_locale()))
    themes = [t for t in request.form.getlist("theme") if t in context["theme_keys"]]
    quotes = [context["quotes_by_id"][q] for q in request.form.getlist("quote") if q in context["quotes_by_id"]]
    operations.save_story(key, period, request.form.get("text", ""), themes, quotes, current_user)
    audit.record("story_save", f"indicator:{key}", period=period)
    db.session.commit()
    flash(_("The story behind the curve for %(period)s was saved.", period=period))
    return redirect(url_for(".indicator", key=key, period=period, _anchor="story"), 303)


def _action_page(key: str, action: IndicatorAction | None, errors: dict, values, status: int = 200):
    detail = source.indicator(key, source.Filters(), str(get_locale()))
    if detail is None:
        abort(404)
    owners = list(db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name)))
    return render_template("scorecard/action_form.html", detail=detail, action=action, errors=errors,
                           values=values, owners=owners, statuses=ACTION_STATUSES, key=key), status


def action_new(key: str):
    return _action_form(key, None)


def action_edit(key: str, action_id: int):
    action = db.get_or_404(IndicatorAction, action_id)
    if action.indicator_key != key:
        abort(404)
    return _action_form(key, action)


def _action_form(key: str, action: IndicatorAction | None):
    if request.method == "GET":
        values = {name: getattr(action, name) for name in operations.ACTION_FIELDS} if action else {}
        return _action_page(key, action, {}, values)
    if source.indicator(key, source.Filters(), str(get_locale())) is None:
        abort(404)
    clean, errors = operations.check_action(request.form)
    if errors:
        return _action_page(key, action, errors, request.form, 422)
    new = action is None
    action = action or IndicatorAction(indicator_key=key)
    changed = operations.save_action(action, clean)
    audit.record("action_create" if new else "action_update", f"action:{action.id}", indicator=key, fields=changed)
    db.session.commit()
    flash(_("The action \u201c%(title)s\u201d was saved.", title=action.title))
    return redirect(url_for(".indicator", key=key, _anchor="actions"), 303)


def action_delete(key: str, action_id: int):
    action = db.get_or_404(IndicatorAction, action_id)
    if action.indicator_key != key:
        abort(404)
    publication.unpublish("action", str(action.id))
    db.session.delete(action)
    audit.record("action_delete", f"action:{action_id}", indicator=key, title=action.title)
    db.session.commit()
    flash(_("The action \u201c%(title)s\u201d was deleted.", title=action.title))
    return redirect(url_for(".indicator", key=key, _anchor="actions"), 303)


def partners():
    """Who has reported their measures, on time or late."""
    today = dt.datetime.now(dt.UTC).date()
    return render_template("scorecard/partners.html", rows=measures.overview(today), grace=REPORTING_GRACE,
                           indicators=source.indicator_titles())


def publish():
    return render_template("scorecard/publish.html", **publication.choices(str(get_locale())))


def save_publication():
    """Replace what the public page shows with the ticked indicators, themes and actions."""
    changed = publication.replace(request.form, current_user)
    if changed:
        audit.record("publication_change", "page:you-said-we-did", changes=changed)
    db.session.commit()
    flash(_("The public page was updated.") if changed else _("Nothing had changed."))
    return redirect(url_for(".publish"), 303)
