"""The story behind the curve: the saved text and links, and what can be linked to it, namely
the themes report's themes and quotes for the same period (app.themes.report)."""
from __future__ import annotations

from app.reporting.filters import ReportFilters
from app.reporting.requests import K
from app.scorecard.actions import story_for
from app.scorecard.periods import is_period, period_end, period_start


def themes_for_period(frequency: str, period: str, lang: str) -> list[dict]:
    """The themes report's themes with at least one text in `period`, most mentioned first:
    [{"key", "label", "count", "share", "quotes": [{"id", "text", "lang"}]}]."""
    from app.themes.codebook import current_codebook
    from app.themes.queries import Scope
    from app.themes.report import build_report
    codebook, tag_hash = current_codebook()
    if codebook is None or not is_period(period, frequency):
        return []
    filters = ReportFilters(date_from=period_start(period, frequency), date_to=period_end(period, frequency))
    report = build_report(Scope(filters), codebook, tag_hash, k=K, lang=lang, dimension=None)
    found = [t for t in report["themes"] if t["count"]]
    return sorted(found, key=lambda t: -t["count"])


def story_context(key: str, period: str, detail: dict, lang: str) -> dict:
    """The saved story of `key` for `period`, and the themes and quotes it may link to."""
    themes = themes_for_period(detail["frequency"], period, lang)
    quotes = {f"{t['key']}:{q['id']}": {"id": f"{t['key']}:{q['id']}", "theme": t["key"], "text": q["text"],
                                         "lang": q.get("lang")}
              for t in themes for q in t["quotes"]}
    story = story_for(key, period)
    labels = {t["key"]: t["label"] for t in themes}
    return {"story": story, "period": period, "themes": themes, "theme_keys": set(labels), "theme_labels": labels,
            "quotes_by_id": quotes, "linked_themes": list(story.theme_keys) if story else [],
            "linked_quotes": list(story.quotes) if story else []}
