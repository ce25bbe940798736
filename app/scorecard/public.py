"""The public "you said, we did" page (endpoint public.page): what residents told us (themes), how
the community is doing (indicators) and what partners are doing about it (actions), as an admin
chose to publish them. No sign-in, every interface language (?lang=), no script, small cells
hidden; light enough to arrive in the first round trip."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from app.core.extensions import db
from app.core.i18n import current_lang, shipped_languages
from app.models import IndicatorAction
from app.reporting.requests import K
from app.scorecard import source
from app.scorecard.charts import sparkline
from app.scorecard.publication import published


def _themes(keys: set[str], lang: str) -> list[dict]:
    """Published themes with how many texts raised them; a count under K is not shown."""
    if not keys:
        return []
    from app.reporting.filters import ReportFilters
    from app.themes.codebook import current_codebook
    from app.themes.queries import Scope
    from app.themes.report import theme_counts
    codebook, tag_hash = current_codebook()
    if codebook is None:
        return []
    counts = theme_counts(Scope(ReportFilters()), codebook, tag_hash)
    themes = [{"key": t.key, "label": codebook.label(t.key, lang), "count": counts.get(t.key, 0)} for t in codebook.themes]
    return published_themes(themes, keys, K)


def published_themes(themes: list[dict], keys: set[str], k: int) -> list[dict]:
    """The themes among `keys` that anyone raised, most raised first; a count from 1 to k-1 is
    replaced by None (shown as "fewer than k"), so a theme one or two people raised cannot point to them."""
    return [{"key": t["key"], "label": t["label"], "count": t["count"] if t["count"] >= k else None, "k": k}
            for t in sorted(themes, key=lambda t: -t["count"]) if t["key"] in keys and t["count"]]


def _actions(ids: set[str]) -> list[IndicatorAction]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return list(db.session.scalars(sa.select(IndicatorAction).where(IndicatorAction.id.in_(wanted))
                                   .order_by(IndicatorAction.indicator_key, IndicatorAction.start_date)))


def page():
    lang = current_lang()
    keys = published("indicator")
    cards = [c for c in source.scorecard(source.Filters(), lang) if c["key"] in keys] if keys else []
    for card in cards:
        card["spark"] = sparkline(card["series"], width=96, height=24)
    return render_template("public/page.html", lang=lang, languages=shipped_languages(), indicators=cards,
                           themes=_themes(published("theme"), lang), actions=_actions(published("action")),
                           titles=source.indicator_titles(lang), k=K)
