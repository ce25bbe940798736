"""The texts a themes report may use, and their tags aggregated in SQL.

Two sources of text: free-text answers (short_text and long_text questions) of responses, and
focus-group contributions. Filters (survey, channel, from, to, respondent_lang) apply as in the
other reports (app.reporting.sample), except that the language is that of the text itself. Withdrawn
responses and participants, and participants without consent, are never selected.

A text counts for a theme (the "effective" tags) when a person accepted the theme, or the
tagger found it and no person rejected it: review corrects the tagger, and a person's "yes"
wins over another person's "no".
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.core.extensions import db
from app.core.vocabulary import AUTO_CODER, LEARNED_CODER, MACHINE_CODERS, TAG_STATUSES
from app.models import (
    Answer, Contribution, FocusGroup, Participant, ParticipantAttribute, Response, SurveyVersion, TaggedText, TextAnswer,
    ThemeTag,
)
from app.questions import question_type
from app.reporting.filters import ReportFilters
from app.reporting.sample import MISSING, dimension_keys, include_focus_groups, response_conditions, selected_surveys
from app.reporting.scope import stored_category

#: ThemeTag.coder of the automatic tagger; people are "user:<id>".
AUTO = AUTO_CODER
#: ThemeTag.coder of the learned tagger's suggestions (app.themes.learning): accepted rows are
#: themes it suggests, rejected rows codebook matches it turns down, score its probability. They
#: are proposals for review and never count as a person's decision, nor in the report.
LEARNED = LEARNED_CODER
#: Coders that are not people.
MACHINES = MACHINE_CODERS
ACCEPTED, REJECTED = TAG_STATUSES
#: The channel focus-group contributions are reported under.
FOCUS_GROUP = "focus_group"


@dataclass(frozen=True)
class Source:
    """One kind of text and the columns every query needs: answers ("a") or contributions ("c")."""

    kind: str
    item: sa.ColumnElement
    text: sa.ColumnElement
    lang: sa.ColumnElement
    person: sa.ColumnElement
    channel: sa.ColumnElement
    when: sa.ColumnElement
    tag_fk: sa.ColumnElement
    tagged_fk: sa.ColumnElement


# Answers are read from text_answers, which carries their response's columns: only the text
# itself needs the answers table, joined for the few rows that show it (app.models.TextAnswer).
ANSWERS = Source("a", TextAnswer.answer_id, Answer.text, TextAnswer.lang, TextAnswer.response_id,
                 TextAnswer.channel, TextAnswer.submitted_at, ThemeTag.answer_id, TaggedText.answer_id)
CONTRIBUTIONS = Source("c", Contribution.id, Contribution.text, Contribution.lang, Participant.id,
                       sa.literal(FOCUS_GROUP), Contribution.created_at, ThemeTag.contribution_id,
                       TaggedText.contribution_id)
SOURCES = {"a": ANSWERS, "c": CONTRIBUTIONS}


def item_key(source: Source, item_id: int) -> str:
    """The id a text has in reports and forms: "a12" (answer 12), "c7" (contribution 7)."""
    return f"{source.kind}{item_id}"


def parse_item_key(key: str | None) -> tuple[Source, int] | None:
    """The source and id of an item key, or None for anything malformed."""
    key = (key or "").strip()
    if len(key) < 2 or key[0] not in SOURCES or not key[1:].isdigit() or len(key) > 20:
        return None
    return SOURCES[key[0]], int(key[1:])


def free_text_keys(surveys) -> set[str]:
    """Keys of the short_text and long_text questions in every version of `surveys`."""
    versions = db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id.in_([s.id for s in surveys])))
    return {q.key for version in versions for q in version.survey_def.questions if question_type(q.type).is_text}


def all_free_text_keys() -> set[str]:
    """Free-text question keys of every survey (what the tagger reads)."""
    return free_text_keys(selected_surveys(ReportFilters()))


def answer_base(*columns, keys) -> sa.Select:
    """Free-text answers of responses that are not withdrawn (no other filter), each joined to its
    answer row and its response, whose columns `columns` and later clauses may use."""
    return (sa.select(*columns).select_from(TextAnswer).join(Answer, Answer.id == TextAnswer.answer_id)
            .join(Response, Response.id == TextAnswer.response_id)
            .where(Response.counted(), TextAnswer.question_key.in_(keys)))


def _reads_answer_rows(columns) -> bool:
    """Whether any of `columns` comes from the answers table (the text, for quotes and samples)."""
    return any(Answer.__table__ in sa.select(column).get_final_froms() for column in columns)


def contribution_base(*columns) -> sa.Select:
    """Contributions of participants who consented and did not withdraw, and notes of no one."""
    return (sa.select(*columns).select_from(Contribution)
            .join(FocusGroup, FocusGroup.id == Contribution.focus_group_id)
            .outerjoin(Participant, Participant.id == Contribution.participant_id)
            .where(sa.or_(Contribution.participant_id.is_(None),
                          Participant.counted()),
                   Contribution.text != ""))


class Scope:
    """The texts `filters` select, computed once per report: surveys and question keys."""

    def __init__(self, filters: ReportFilters):
        self.filters = filters
        self.surveys = selected_surveys(filters)
        self.keys = free_text_keys(self.surveys)
        self.sources = [ANSWERS] + ([CONTRIBUTIONS] if include_focus_groups(filters) else [])

    def select(self, source: Source, *columns) -> sa.Select:
        """SELECT `columns` over the source's texts that the filters allow."""
        filters = self.filters
        if source is ANSWERS:
            # Counts read text_answers alone; only columns of the answer itself (its text) join it.
            # Its `lang` is the text's own, which the report filters by (never the respondent's).
            conditions = response_conditions(replace(filters, lang=None), self.surveys, of=TextAnswer)
            query = (sa.select(*columns).select_from(TextAnswer)
                     .where(TextAnswer.question_key.in_(self.keys), *conditions))
            if _reads_answer_rows(columns):
                query = query.join(Answer, Answer.id == TextAnswer.answer_id)
        else:
            # Not sample.participant_conditions: a note may have no participant, and its date is the session's.
            query = contribution_base(*columns)
            if filters.date_from:
                query = query.where(FocusGroup.date >= filters.date_from)
            if filters.date_to:
                query = query.where(FocusGroup.date <= filters.date_to)
        if filters.lang:
            query = query.where(source.lang == filters.lang)
        return query


def effective_tags(source: Source) -> sa.CTE:
    """(item_id, theme, score, polarity) of every effective tag of the source's texts; score and
    polarity (of the clauses around the theme's words) are the tagger's, None where it had none.

    Most texts have only the tagger's tags, which are effective as they stand; only the few texts
    a person tagged need their tags grouped and weighed, so the two are selected apart and joined
    with UNION ALL (grouping every tag would cost a sort of the whole table on every query).
    """
    people = human_items(source)
    tagger_only = (sa.select(source.tag_fk.label("item_id"), ThemeTag.theme.label("theme"), ThemeTag.score.label("score"),
                             ThemeTag.polarity.label("polarity"))
                   .where(source.tag_fk.is_not(None), ThemeTag.coder == AUTO, ThemeTag.status == ACCEPTED,
                          source.tag_fk.not_in(people)))
    # MATERIALIZED: computed once per query. As a plain subquery, a planner with no statistics
    # (right after a bulk load) put it inside a nested loop and ran it again for every text.
    return sa.union_all(tagger_only, weighed_tags(source)).cte(f"effective_tags_{source.kind}").prefix_with("MATERIALIZED")


def weighed_tags(source: Source) -> sa.Select:
    """(item_id, theme, score, polarity) of the effective tags of the texts a person tagged: a
    person's "yes" wins, else the tagger's theme stands unless a person said "no"."""
    human = ThemeTag.coder.not_in(MACHINES)
    said_yes = sa.func.max(sa.case((sa.and_(human, ThemeTag.status == ACCEPTED), 1), else_=0))
    said_no = sa.func.max(sa.case((sa.and_(human, ThemeTag.status == REJECTED), 1), else_=0))
    tagger = sa.func.max(sa.case((sa.and_(ThemeTag.coder == AUTO, ThemeTag.status == ACCEPTED), 1), else_=0))
    by_tagger = ThemeTag.coder == AUTO
    return (sa.select(source.tag_fk.label("item_id"), ThemeTag.theme.label("theme"),
                      sa.func.max(sa.case((by_tagger, ThemeTag.score))).label("score"),
                      sa.func.max(sa.case((by_tagger, ThemeTag.polarity))).label("polarity"))
            .where(source.tag_fk.in_(human_items(source))).group_by(source.tag_fk, ThemeTag.theme)
            .having(sa.or_(said_yes == 1, sa.and_(tagger == 1, said_no == 0))))


def counted_tags(source: Source, parents: dict[str, str]) -> sa.Subquery:
    """(item_id, theme, polarity) of the effective tags, a sub-theme's text also counting for its
    parent (`parents`: {sub-theme: parent}), once per text and theme: a text tagged with a parent
    and its sub-theme counts once for the parent, with the polarity of the tagger's own tag of
    the parent (None when the parent came only from a sub-theme)."""
    tags = effective_tags(source)
    own = sa.select(tags.c.item_id.label("item_id"), tags.c.theme.label("theme"), tags.c.polarity.label("polarity"))
    if not parents:
        return own.subquery()
    up = (sa.select(tags.c.item_id, sa.case(parents, value=tags.c.theme), sa.null())
          .where(tags.c.theme.in_(sorted(parents))))
    both = sa.union_all(own, up).subquery()
    return (sa.select(both.c.item_id, both.c.theme, sa.func.max(both.c.polarity).label("polarity"))
            .group_by(both.c.item_id, both.c.theme).subquery())


def human_items(source: Source) -> sa.Select:
    """Ids of the source's texts that a person has tagged."""
    return sa.select(source.tag_fk).where(source.tag_fk.is_not(None), ThemeTag.coder.not_in(MACHINES)).distinct()


def lang_counts(scope: Scope) -> dict[Source, dict[str, int]]:
    """{source: {language as stored: number of texts}}."""
    return {source: {lang: n for lang, n in db.session.execute(
        scope.select(source, source.lang, sa.func.count()).group_by(source.lang))}
        for source in scope.sources}


def coded_condition(source: Source, supported: set[str], tag_hash: str):
    """Texts the report counts: those the tagger has read with the current codebook, in a language
    it covers, and those a person tagged. Texts still waiting for the tagger are left out."""
    # EXISTS, one index probe per text (uq_tagged_texts_*), not IN (SELECT …): under OR, PostgreSQL
    # keeps IN as a subplan, hashed only while every tagged text fits in work_mem; past that (a few
    # hundred thousand texts at the default 4 MB) it re-read tagged_texts for each text: minutes.
    read = aliased(TaggedText)
    tagged = sa.exists().where(getattr(read, source.tagged_fk.key) == source.item, read.codebook_hash == tag_hash)
    return sa.or_(sa.and_(source.lang.in_(sorted(supported)), tagged), source.item.in_(human_items(source)))


def whole_table_plans() -> None:
    """Plan this transaction's aggregates with hash joins, never nested loops (PostgreSQL).

    The themes queries join every selected text to its effective tags. Right after a bulk load,
    before ANALYZE, the planner guesses that a handful of rows match and nests a loop over the
    tags inside a loop over the texts: 20,000 responses then took minutes. These queries read
    whole tables, where hash joins are right at any size, so we do not let the plan depend on
    statistics being fresh. Indexes are still used for the scans themselves.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL enable_nestloop = off"))


@dataclass
class ThemeStats:
    """What the themes report counts over the scope's counted texts (`theme_stats`).

    ``texts``: {channel: texts}; ``cells``: {(theme, channel): {"n", "sentiment_n",
    "sum_polarity", "sum_subjectivity"}}; with a dimension, ``people``: {category: people who
    wrote a counted text} and ``group_cells``: {(theme, category): people with a text on the
    theme}. A sub-theme's texts count for its parent too; no answer is MISSING; notes without a
    participant count as texts and belong to no one."""

    texts: dict[str, int]
    cells: dict[tuple[str, str], dict]
    people: dict[str, int]
    group_cells: dict[tuple[str, str], int]


def theme_stats(scope: Scope, coded: dict, parents: dict[str, str] | None = None,
                dimension: str | None = None) -> ThemeStats:
    """Texts and people per channel and per category of `dimension`, overall and per theme.

    One statement per source: the scope's counted texts are selected once (a MATERIALIZED CTE of
    narrow rows: id, channel, category, person, the text's sentiment), then grouped by (channel,
    category) and, joined to their tags, by (theme, channel, category), the two joined with UNION
    ALL (a theme of NULL marks the texts' own rows). People are counted distinct within each group
    and the groups added up, which is exact because a person (a response, a participant) has one
    channel and one category."""
    stats = ThemeStats(defaultdict(int), {}, defaultdict(int), defaultdict(int))
    for source in scope.sources:
        category, join = _category_column(source, dimension) if dimension else (sa.null(), lambda query: query)
        texts = (join(scope.select(source, source.item.label("item"), source.channel.label("channel"),
                                   category.label("category"), source.person.label("person"),
                                   TaggedText.polarity.label("polarity"), TaggedText.subjectivity.label("subjectivity")))
                 .outerjoin(TaggedText, source.tagged_fk == source.item).where(coded[source])
                 .cte(f"counted_texts_{source.kind}").prefix_with("MATERIALIZED"))
        groups = [texts.c.channel, texts.c.category]
        people = sa.func.count(sa.distinct(texts.c.person))
        own = sa.select(sa.cast(sa.null(), sa.String).label("theme"), *groups, sa.func.count(), people,
                        sa.literal(0), sa.literal(0.0), sa.literal(0.0)).group_by(*groups)
        tags = counted_tags(source, parents or {})
        # The tagger's sentiment of the clauses around the theme's words; the whole text's for a
        # theme only a person found (no words to score around) or a tag made before clauses were scored.
        polarity = sa.func.coalesce(tags.c.polarity, texts.c.polarity)
        themed = (sa.select(tags.c.theme, *groups, sa.func.count(), people, sa.func.count(polarity),
                            sa.func.sum(polarity), sa.func.sum(texts.c.subjectivity))
                  .join_from(texts, tags, tags.c.item_id == texts.c.item).group_by(tags.c.theme, *groups))
        for theme, value, group, n, persons, scored, polarity, subjectivity in db.session.execute(
                sa.union_all(own, themed)):
            if theme is None:
                stats.texts[value] += n
                if dimension and persons:
                    stats.people[group or MISSING] += persons
                continue
            cell = stats.cells.setdefault((theme, value), {"n": 0, "sentiment_n": 0, "sum_polarity": 0.0,
                                                           "sum_subjectivity": 0.0})
            cell["n"] += n
            cell["sentiment_n"] += scored
            cell["sum_polarity"] += float(polarity or 0)
            cell["sum_subjectivity"] += float(subjectivity or 0)
            if dimension and persons:
                stats.group_cells[(theme, group or MISSING)] += persons
    return ThemeStats(dict(stats.texts), stats.cells, dict(stats.people), dict(stats.group_cells))


def available_dimensions(scope: Scope) -> list[str]:
    """Demographic dimensions of the selected surveys, and of focus-group participants."""
    found = set(dimension_keys(scope.surveys))
    if CONTRIBUTIONS in scope.sources:
        found |= set(db.session.scalars(sa.select(ParticipantAttribute.dimension).distinct()))
    return sorted(found)


def _category_column(source: Source, dimension: str):
    """(category column, join) giving each text's person's category on `dimension`: the
    response's stored pattern (no join), or the participant's attribute (joined by `join(query)`)."""
    if source is ANSWERS:
        return stored_category(dimension, TextAnswer.demographics), lambda query: query
    attribute = aliased(ParticipantAttribute)
    on = sa.and_(attribute.participant_id == Participant.id, attribute.dimension == dimension)
    return attribute.category, lambda query: query.outerjoin(attribute, on)


def texts_of(source: Source, ids) -> dict[int, str]:
    """{item id: text} of a bounded list of the source's texts, read by primary key: the texts
    themselves are read only for the few rows a report shows, never joined to a whole scope."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    table = Answer if source is ANSWERS else Contribution
    return dict(db.session.execute(sa.select(table.id, table.text).where(table.id.in_(ids))).all())


def quote_row(source: Source, theme: str, item_id: int, score, text: str, lang, person, channel) -> dict:
    """One quote candidate as analysis.themes.representative_quotes reads it."""
    return {"theme": theme, "id": item_key(source, item_id), "text": text, "lang": lang,
            "respondent": f"{source.kind}{person}" if person else None, "group": channel, "score": float(score or 0.0)}


def ranked_candidates(scope: Scope, coded: dict, per_theme: int, source: Source,
                      themes: list[str] | None = None) -> list[dict]:
    """The `per_theme` best candidates for quotes of each theme (of `themes`, or all), by the
    tagger's score, then the newest text: a window function over every effective tag of the
    scope (app.themes.quotes finds them from an index, and falls back on this)."""
    tags = effective_tags(source)
    rank = sa.func.row_number().over(partition_by=tags.c.theme,
                                     order_by=(sa.func.coalesce(tags.c.score, 0.0).desc(), tags.c.item_id.desc()))
    ranked = (scope.select(source, tags.c.theme.label("theme"), tags.c.item_id.label("item_id"),
                           tags.c.score.label("score"), source.lang.label("lang"), source.person.label("person"),
                           source.channel.label("channel"), rank.label("rank"))
              .join(tags, tags.c.item_id == source.item).where(coded[source]))
    if themes is not None:
        ranked = ranked.where(tags.c.theme.in_(sorted(themes)))
    ranked = ranked.subquery()
    best = db.session.execute(sa.select(ranked.c.theme, ranked.c.item_id, ranked.c.score, ranked.c.lang,
                                        ranked.c.person, ranked.c.channel).where(ranked.c.rank <= per_theme)).all()
    texts = texts_of(source, (row.item_id for row in best))
    return [quote_row(source, theme, item_id, score, texts[item_id], lang, person, channel)
            for theme, item_id, score, lang, person, channel in best]


def newest_texts(scope: Scope, supported: set[str], limit: int) -> list[dict]:
    """The `limit` newest texts in languages the codebook covers (the sample for emerging phrases)."""
    rows = []
    for source in scope.sources:
        query = (scope.select(source, source.item, source.lang, source.when)
                 .where(source.lang.in_(sorted(supported))).order_by(source.when.desc(), source.item.desc()).limit(limit))
        newest = db.session.execute(query).all()
        texts = texts_of(source, (item for item, _lang, _when in newest))
        rows.extend((texts[item], lang, when) for item, lang, when in newest)
    rows.sort(key=lambda r: r[2] or dt.datetime.min, reverse=True)
    return [{"text": text, "lang": lang} for text, lang, _when in rows[:limit]]


def codings(scope: Scope) -> list[dict]:
    """Every tag (any coder) of the texts that a person has tagged: the data agreement is computed from."""
    found = []
    for source in scope.sources:
        query = (scope.select(source, source.item, source.lang, ThemeTag.theme, ThemeTag.coder, ThemeTag.status,
                              ThemeTag.created_at)
                 .join(ThemeTag, source.tag_fk == source.item)
                 .where(source.item.in_(human_items(source)), ThemeTag.coder != LEARNED))
        for item_id, lang, theme, coder, status, created_at in db.session.execute(query):
            found.append({"item": item_key(source, item_id), "lang": lang, "theme": theme, "coder": coder,
                          "status": status, "at": created_at})
    return found
