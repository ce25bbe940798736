"""Quote candidates from the index (app.themes.quotes) are exactly the window function's over
every effective tag (queries.ranked_candidates), whatever the pool size: a pool that cannot
prove its answer falls back. On the demo data of each backend, with people's review on top."""
import pytest

from app.core.extensions import db
from app.reporting.filters import ReportFilters
from app.themes import quotes
from app.themes.queries import ANSWERS, ranked_candidates
from tests.app.reports.test_theme_stats import add_review, counted_scope


def candidates(found: list[dict]) -> set[tuple]:
    return {(c["theme"], c["id"], c["text"], c["lang"], c["respondent"], c["group"], c["score"]) for c in found}


@pytest.mark.parametrize("per_theme, factor", [(20, 10), (3, 1), (2, 2), (5, 1)])
@pytest.mark.parametrize("filters", [ReportFilters(survey="community-needs"), ReportFilters(survey="all"),
                                     ReportFilters(survey="community-needs", lang="es"),
                                     ReportFilters(survey="all", channel="web", geography="eastfield")],
                         ids=["survey", "all", "es", "web-eastfield"])
def test_the_index_gives_the_window_function_s_candidates(demo_app, monkeypatch, filters, per_theme, factor):
    monkeypatch.setattr(quotes, "POOL_FACTOR", factor)
    fallbacks = []
    real = quotes.ranked_candidates
    monkeypatch.setattr(quotes, "ranked_candidates", lambda *a: fallbacks.append(a) or real(*a))
    with demo_app.test_request_context():
        add_review()
        codebook, _tag_hash, scope, coded = counted_scope(filters)
        expected = [c for source in scope.sources for c in ranked_candidates(scope, coded, per_theme, source)
                    if c["theme"] in codebook.keys]
        assert len(expected) > 10
        assert candidates(quotes.quote_candidates(scope, coded, per_theme, list(codebook.keys))) == candidates(expected)
        answer_fallbacks = [a for a in fallbacks if a[3] is ANSWERS]
        if (per_theme, factor) == (20, 10) and filters.survey == "community-needs" and not filters.lang:
            assert not answer_fallbacks  # the usual report: every theme decided by its pool
        if factor == 1 and (filters.lang or filters.geography):
            assert answer_fallbacks  # in a narrow scope, a pool no bigger than the answer cannot prove it
        db.session.rollback()
