"""Quote candidates for the themes report: each theme's best-scored texts in the report's scope.

Ranking every effective tag of the scope (queries.ranked_candidates, a window function) took 1.6
to 2 s at a million responses. The best-scored answers of a theme are instead read from the top
of an index (ix_theme_tags_auto_rank: the tagger's tags by theme, score and answer), a pool of
POOL_FACTOR times as many as needed, and kept when they are in the scope; texts a person tagged,
whose tags are weighed, are added from their own small query. The result is exactly the window
function's, and when a pool cannot prove that (too few of its texts in a narrow scope, or scores
of zero, which tie with a person's unscored themes), that theme falls back on the window function.
Focus-group contributions, a small table, always use it.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.core.extensions import db
from app.models import ThemeTag
from app.themes.queries import (
    ACCEPTED, ANSWERS, AUTO, Scope, human_items, quote_row, ranked_candidates, texts_of, weighed_tags,
)

#: Candidates read from the index per theme, as a multiple of the number wanted.
POOL_FACTOR = 10


def _order(score, item_id) -> tuple:
    """The window function's order: highest score first (none counts as 0), then the newest text."""
    return -(score or 0.0), -item_id


def _decided(pool: list, pool_size: int, rows: list, per_theme: int) -> bool:
    """Whether a theme's pool (its tagger's tags in rank order, (answer, score)) proves that `rows`
    (the best candidates in scope, (answer, score, …)) are the window function's."""
    if rows and not rows[-1][1]:
        return False  # a score of 0 ties with a person's unscored theme, which ranks by id alone
    if len(pool) < pool_size:
        return True  # the pool holds every scored tag of the theme
    # Every tag ranked above the pool's last one is in the pool: the candidates are right when
    # there are enough of them and the last ranks no lower than that last tag.
    last_item, last_score = pool[-1]
    return len(rows) == per_theme and _order(rows[-1][1], rows[-1][0]) <= _order(last_score, last_item)


def quote_candidates(scope: Scope, coded: dict, per_theme: int, themes: list[str]) -> list[dict]:
    """The `per_theme` best candidates for quotes of each of `themes` over the scope's texts,
    as ``queries.quote_row`` dicts."""
    found = []
    for source in scope.sources:
        if source is ANSWERS:
            found.extend(_answer_candidates(scope, coded, per_theme, themes))
        else:
            found.extend(ranked_candidates(scope, coded, per_theme, source))
    return found


def _answer_candidates(scope: Scope, coded: dict, per_theme: int, themes: list[str]) -> list[dict]:
    source = ANSWERS
    pool_size = per_theme * POOL_FACTOR
    people = set(db.session.scalars(human_items(source)))
    # One query per theme, each a short scan of the index (SQLite has no LATERAL to do them in one).
    pools = {theme: db.session.execute(
        sa.select(ThemeTag.answer_id, ThemeTag.score)
        .where(ThemeTag.theme == theme, ThemeTag.coder == AUTO, ThemeTag.answer_id.is_not(None),
               ThemeTag.status == ACCEPTED, ThemeTag.score.is_not(None))
        .order_by(ThemeTag.score.desc(), ThemeTag.answer_id.desc()).limit(pool_size)).all() for theme in themes}
    wanted = {item for pool in pools.values() for item, _score in pool if item not in people}
    columns = (source.item, source.lang, source.person, source.channel)
    in_scope = {row[0]: row[1:] for row in db.session.execute(
        scope.select(source, *columns).where(source.item.in_(sorted(wanted)), coded[source]))} if wanted else {}
    weighed = weighed_tags(source).subquery()
    reviewed: dict[str, list] = {}
    for theme, item, score, *rest in db.session.execute(
            scope.select(source, weighed.c.theme, weighed.c.item_id, weighed.c.score, *columns[1:])
            .join(weighed, weighed.c.item_id == source.item).where(coded[source])):
        reviewed.setdefault(theme, []).append((item, score, *rest))
    chosen, again = [], []
    for theme, pool in pools.items():
        rows = [(item, score, *in_scope[item]) for item, score in pool if item in in_scope]
        rows = sorted(rows + reviewed.get(theme, []), key=lambda row: _order(row[1], row[0]))[:per_theme]
        if not _decided(pool, pool_size, rows, per_theme):
            again.append(theme)
            continue
        chosen.extend((theme, *row) for row in rows)
    texts = texts_of(source, (row[1] for row in chosen))
    found = [quote_row(source, theme, item, score, texts[item], lang, person, channel)
             for theme, item, score, lang, person, channel in chosen]
    if again:
        found.extend(ranked_candidates(scope, coded, per_theme, source, again))
    return found
