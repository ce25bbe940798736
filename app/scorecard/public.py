"""The public "you said, we did" page (endpoint public.page): what residents told us (themes), how
the community is doing (indicators) and what partners are doing about it (actions), as an admin
chose to publish them. No sign-in, every interface language (?lang=), no script, small cells
hidden; light enough to arrive in the first round trip."""
from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import current_app, render_template

from app.core.extensions import db
from app.core.i18n import current_lang, shipped_languages
from app.models import IndicatorAction
from app.reporting.requests import K
from app.scorecard import source
from app.scorecard.charts import sparkline
from app.scorecard.publication import published


#: The app's extensions key of the page's theme counts, {tagging hash: (monotonic time counted,
#: {theme: texts})}, kept for PUBLIC_THEMES_SECONDS by each process. Anyone may open the page
#: without signing in, and counting every text's themes takes seconds at a million responses: a
#: page that counted on each view would let a few anonymous clients keep the database busy. A new
#: codebook is a new key. Kept on the app, so two apps in one process never share counts.
KEPT_COUNTS = "public_theme_counts"
#: One count at a time in a process: threads that find the counts stale wait for the first one.
_counting = threading.Lock()


def theme_counts_kept(codebook, tag_hash: str) -> dict[str, int]:
    """{theme: texts counted for it} over every text, counted at most once per PUBLIC_THEMES_SECONDS."""
    from app.reporting.filters import ReportFilters
    from app.themes.queries import Scope
    from app.themes.report import theme_counts
    keep = current_app.config["PUBLIC_THEMES_SECONDS"]
    with _counting:
        kept = current_app.extensions.setdefault(KEPT_COUNTS, {})
        counted_at, counts = kept.get(tag_hash, (None, None))
        if counted_at is None or time.monotonic() - counted_at >= keep:
            counts = theme_counts(Scope(ReportFilters()), codebook, tag_hash)
            kept.clear()  # only the current codebook's counts are ever read again
            kept[tag_hash] = (time.monotonic(), counts)
        return counts


def _themes(keys: set[str], lang: str) -> list[dict]:
    """Published themes with how many texts raised them; a count under K is not shown."""
    if not keys:
        return []
    from app.themes.codebook import current_codebook
    codebook, tag_hash = current_codebook()
    if codebook is None:
        return []
    counts = theme_counts_kept(codebook, tag_hash)
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
