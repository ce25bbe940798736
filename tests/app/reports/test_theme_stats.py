"""The themes report's counts (app.themes.queries.theme_stats: two grouped queries) equal the same
counts worked out here text by text in Python, from the tags as stored: effective tags (a
person's "yes" wins, a person's "no" overrides the tagger), sub-themes counting for their parent
once, the clause's polarity else the text's, people counted once per group. On the demo data of
each backend, with people's review added on top."""
from collections import defaultdict

import pytest
import sqlalchemy as sa

from analysis.text.normalise import LanguageError, normalise_lang
from app.core.extensions import db
from app.models import TaggedText, ThemeTag
from app.reporting.filters import ReportFilters
from app.reporting.sample import MISSING
from app.themes.codebook import current_codebook
from app.themes.queries import AUTO, MACHINES, SOURCES, Scope, _category_column, coded_condition, theme_stats
from app.themes.report import _languages, sub_theme_parents


def reference(scope: Scope, codebook, tag_hash: str, dimension: str | None):
    """(texts per channel, {(theme, channel): [n, scored, sum polarity, sum subjectivity]},
    people per category, {(theme, category): people}) computed in Python."""
    covered = set(codebook.languages)
    parents = sub_theme_parents(codebook)
    texts, cells = defaultdict(int), defaultdict(lambda: [0, 0, 0.0, 0.0])
    people, group_people = defaultdict(set), defaultdict(set)
    for source in scope.sources:
        category, join = _category_column(source, dimension) if dimension else (sa.null(), lambda q: q)
        rows = db.session.execute(join(scope.select(source, source.item, source.lang, source.channel, source.person,
                                                    category))).all()
        tags = defaultdict(list)
        for item, theme, coder, status, polarity in db.session.execute(
                sa.select(source.tag_fk, ThemeTag.theme, ThemeTag.coder, ThemeTag.status, ThemeTag.polarity)
                .where(source.tag_fk.is_not(None))):
            tags[item].append((theme, coder, status, polarity))
        read = {item: (h, p, s) for item, h, p, s in db.session.execute(
            sa.select(source.tagged_fk, TaggedText.codebook_hash, TaggedText.polarity, TaggedText.subjectivity)
            .where(source.tagged_fk.is_not(None)))}
        for item, lang, channel, person, group in rows:
            human = [t for t in tags[item] if t[1] not in MACHINES]
            try:
                supported = normalise_lang(lang or "") in covered
            except LanguageError:
                supported = False
            if not (human or (supported and read.get(item, (None,))[0] == tag_hash)):
                continue  # not counted: waiting for the tagger, or in a language the codebook lacks
            texts[channel] += 1
            group = group or MISSING
            if dimension and person is not None:
                people[group].add(person)
            yes = {t[0] for t in human if t[2] == "accepted"}
            no = {t[0] for t in human if t[2] == "rejected"}
            auto = {t[0]: t[3] for t in tags[item] if t[1] == AUTO and t[2] == "accepted"}
            own = yes | {theme for theme in auto if theme not in no}
            clause = {theme: auto.get(theme) for theme in own}
            counted = own | {parents[theme] for theme in own if theme in parents}
            _hash, text_polarity, subjectivity = read.get(item, (None, None, None))
            for theme in counted:
                polarity = clause.get(theme) if clause.get(theme) is not None else text_polarity
                cell = cells[(theme, channel)]
                cell[0] += 1
                if polarity is not None:
                    cell[1] += 1
                    cell[2] += polarity
                cell[3] += subjectivity or 0.0
                if dimension and person is not None:
                    group_people[(theme, group)].add(person)
    return (dict(texts), dict(cells), {g: len(p) for g, p in people.items()},
            {k: len(p) for k, p in group_people.items()})


def counted_scope(filters: ReportFilters):
    """(codebook, tagging hash, scope, {source: condition of the texts counted}) as build_report
    sets them up."""
    codebook, tag_hash = current_codebook()
    scope = Scope(filters)
    supported, _unsupported, _total = _languages(scope, codebook)
    return codebook, tag_hash, scope, {source: coded_condition(source, supported[source], tag_hash)
                                       for source in scope.sources}


def add_review(source_kind: str = "a") -> None:
    """A person says yes to a sub-theme the tagger missed (whose parent the text lacks) on one text,
    no to the tagger's theme there, and no to a theme on another text, as the review page stores
    them: both weighing rules and the parent's count are exercised."""
    source = SOURCES[source_kind]
    column = "answer_id" if source_kind == "a" else "contribution_id"
    tagged = db.session.execute(sa.select(source.tag_fk, ThemeTag.theme).where(
        source.tag_fk.is_not(None), ThemeTag.coder == AUTO).order_by(source.tag_fk).limit(2)).all()
    (first, first_theme), second = tagged[0], tagged[-1][0]
    codebook, _hash = current_codebook()
    own = set(db.session.scalars(sa.select(ThemeTag.theme).where(source.tag_fk == first)))
    parents = sub_theme_parents(codebook)
    missed = next(key for key, parent in parents.items() if key not in own and parent not in own)
    db.session.add_all([ThemeTag(**{column: first}, theme=missed, coder="user:1", status="accepted"),
                        ThemeTag(**{column: first}, theme=first_theme, coder="user:1", status="rejected"),
                        ThemeTag(**{column: second}, theme=missed, coder="user:2", status="rejected")])
    db.session.flush()


@pytest.mark.parametrize("filters, dimension", [
    (ReportFilters(survey="community-needs"), "age_band"),
    (ReportFilters(survey="all"), "neighbourhood"),
    (ReportFilters(survey="community-needs", channel="web"), None),
    (ReportFilters(survey="all", lang="es"), "gender"),
])
def test_theme_stats_equal_the_counts_worked_out_text_by_text(demo_app, filters, dimension):
    with demo_app.test_request_context():
        add_review()
        codebook, tag_hash, scope, coded = counted_scope(filters)
        stats = theme_stats(scope, coded, sub_theme_parents(codebook), dimension)
        texts, cells, people, group_people = reference(scope, codebook, tag_hash, dimension)
        assert sum(texts.values()) > 20  # enough texts for the comparison to mean something
        assert stats.texts == texts
        assert {key: cell["n"] for key, cell in stats.cells.items()} == {key: c[0] for key, c in cells.items()}
        assert {key: cell["sentiment_n"] for key, cell in stats.cells.items()} == {key: c[1] for key, c in cells.items()}
        for key, cell in stats.cells.items():
            assert cell["sum_polarity"] == pytest.approx(cells[key][2], abs=1e-9)
            assert cell["sum_subjectivity"] == pytest.approx(cells[key][3], abs=1e-9)
        assert stats.people == people and stats.group_cells == group_people
        db.session.rollback()
