"""The human review queue: one text at a time, the tagger's themes proposed, the reviewer's
decision stored as ThemeTag rows with coder "user:<id>".

Saving replaces the reviewer's earlier decision on that text: an accepted row for every theme
ticked (and the parent of every sub-theme ticked, as the tagger counts it), a rejected row for
every theme the tagger (or the tagger learned from review) proposed and the reviewer unticked,
and, when the reviewer ticks nothing and nothing was proposed, a rejected row for every theme. The tagger's own rows are never
changed. Operations only flush; the route commits.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.localize import translator
from app.models import Answer, Contribution, FocusGroup, Response, SurveyVersion, TaggedText, ThemeTag
from app.themes.queries import (
    ACCEPTED, ANSWERS, AUTO, LEARNED, REJECTED, Scope, Source, all_free_text_keys, answer_base, contribution_base,
    item_key, parse_item_key,
)

log = logging.getLogger("common_ground.themes")
#: ThemeTag.how of a tag made through a Snowball stem alone (analysis.themes.HOW).
STEM_ONLY = "stem"


def how_labels() -> dict[str, str]:
    """What each kind of match (ThemeTag.how) means, in the viewer's language."""
    return {"exact": _("the keyword itself"), "inflection": _("a form of the keyword"),
            "fuzzy": _("one letter off a keyword"), "stem": _("same stem only, check it"),
            "learned": _("learned from reviews")}


def coder_for(user) -> str:
    """The ThemeTag.coder of a person."""
    return f"user:{user.id}"


@dataclass(frozen=True)
class Evidence:
    """How the tagger matched a theme: HOW kind, character span and the words matched."""

    how: str | None
    start: int | None
    end: int | None
    matched: str | None


@dataclass
class ReviewItem:
    """A text to review, with what the tagger and this reviewer said about it."""

    key: str
    text: str
    lang: str
    #: What the text answers: the question's label, or the focus group and its date.
    context: str
    #: The tagger's themes and their scores.
    auto: dict[str, float] = field(default_factory=dict)
    #: This reviewer's earlier decision (theme → accepted|rejected), empty if none.
    mine: dict[str, str] = field(default_factory=dict)
    #: The learned tagger's view (theme → (accepted|rejected, probability)): a theme it suggests,
    #: or a codebook match it turns down (app.themes.learning).
    learned: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def proposed(self) -> set[str]:
        """What the machines propose: the codebook's themes, with the learned tagger's suggestions
        added and the matches it turns down taken away."""
        said = {theme: status for theme, (status, _p) in self.learned.items()}
        return ({t for t in self.auto if said.get(t) != REJECTED}
                | {t for t, status in said.items() if status == ACCEPTED})

    #: Why the tagger suggested each theme: theme → Evidence (none for tags stored before issue 12).
    why: dict[str, "Evidence"] = field(default_factory=dict)

    def pieces(self) -> list[tuple[str, list[str]]]:
        """The text cut at the tagger's matched spans: (piece, themes whose span it is), in order.

        Overlapping spans are merged, so every character is shown once; spans that do not fit the
        text (it changed since it was tagged) are left out.
        """
        spans = sorted((e.start, e.end, theme) for theme, e in self.why.items()
                       if e.start is not None and e.end is not None and 0 <= e.start < e.end <= len(self.text))
        merged: list[list] = []
        for start, end, theme in spans:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2].append(theme)
            else:
                merged.append([start, end, [theme]])
        pieces, at = [], 0
        for start, end, themes in merged:
            if start > at:
                pieces.append((self.text[at:start], []))
            pieces.append((self.text[start:end], sorted(set(themes))))
            at = end
        if at < len(self.text):
            pieces.append((self.text[at:], []))
        return pieces

    @property
    def ticked(self) -> set[str]:
        """Themes to show ticked: the reviewer's earlier decision (never overridden by a
        machine), else what the machines propose."""
        if self.mine:
            return {theme for theme, status in self.mine.items() if status == ACCEPTED}
        return self.proposed


def _tags(source: Source, item_id: int) -> list[tuple]:
    return list(db.session.execute(sa.select(ThemeTag.theme, ThemeTag.coder, ThemeTag.status, ThemeTag.score,
                                             ThemeTag.how, ThemeTag.span_start, ThemeTag.span_end, ThemeTag.matched)
                                   .where(source.tag_fk == item_id)))


def find_item(key: str | None, coder: str, viewer_lang: str) -> ReviewItem | None:
    """The text with this item key, or None if it does not exist or its author withdrew."""
    parsed = parse_item_key(key)
    if parsed is None:
        return None
    source, item_id = parsed
    if source is ANSWERS:
        row = db.session.execute(answer_base(Answer.text, source.lang, Answer.question_key, SurveyVersion,
                                             keys=all_free_text_keys())
                                 .join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
                                 .where(Answer.id == item_id)).first()
        if row is None:
            return None
        text, lang, question_key, version = row
        question = version.survey_def.question(question_key)
        context = (translator(version.survey_def, viewer_lang)(f"{question_key}.label", question.label)
                   if question else question_key)
    else:
        row = db.session.execute(contribution_base(Contribution.text, Contribution.lang, FocusGroup.title,
                                                   FocusGroup.date).where(Contribution.id == item_id)).first()
        if row is None:
            return None
        text, lang, title, date = row
        context = f"{title} ({date.isoformat()})"
    item = ReviewItem(key=item_key(source, item_id), text=text, lang=lang or "", context=str(context))
    for theme, tag_coder, status, score, how, start, end, matched in _tags(source, item_id):
        if tag_coder == AUTO and status == ACCEPTED:
            item.auto[theme] = score or 0.0
            if how:
                item.why[theme] = Evidence(how, start, end, matched)
        elif tag_coder == LEARNED:
            item.learned[theme] = (status, score or 0.0)
        elif tag_coder == coder:
            item.mine[theme] = status
    return item


def _not_mine(source: Source, coder: str):
    return source.item.not_in(sa.select(source.tag_fk).where(source.tag_fk.is_not(None), ThemeTag.coder == coder))


def _weak(source: Source):
    """Texts the tagger tagged through a Snowball stem only: the least precise tags, reviewed first."""
    return source.item.in_(sa.select(source.tag_fk).where(source.tag_fk.is_not(None), ThemeTag.coder == AUTO,
                                                          ThemeTag.how == STEM_ONLY))


def _is_weak(source: Source, item_id: int) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).select_from(ThemeTag).where(
        source.tag_fk == item_id, ThemeTag.coder == AUTO, ThemeTag.how == STEM_ONLY)))


def next_item(scope: Scope, coder: str, after: str | None = None) -> str | None:
    """The first text after `after` this coder has not coded: texts with a stem-only tag first, then
    the others; within each, answers then contributions, by id."""
    parsed = parse_item_key(after)
    order = [source.kind for source in scope.sources]
    first_tier = 0
    if parsed is not None and parsed[0].kind in order:
        first_tier = 0 if _is_weak(*parsed) else 1
    for tier in (0, 1):
        if tier < first_tier:
            continue
        for source in scope.sources:
            start = 0
            if parsed is not None and tier == first_tier:
                if parsed[0].kind not in order or order.index(parsed[0].kind) > order.index(source.kind):
                    continue
                start = parsed[1] if parsed[0] is source else 0
            weak = _weak(source)
            found = db.session.scalar(scope.select(source, source.item)
                                      .where(source.item > start, _not_mine(source, coder), weak if tier == 0 else ~weak)
                                      .order_by(source.item).limit(1))
            if found is not None:
                return item_key(source, found)
    return None


#: Orders of the review queue: as the texts came in, or the learned tagger's most uncertain first.
RECEIVED, UNCERTAIN = "received", "uncertain"
#: Uncertainty of a text no learned tagger has read: after every text it has.
_UNREAD = -1.0


def _uncertainty(source: Source):
    return sa.func.coalesce(TaggedText.uncertainty, _UNREAD)


def _uncertainty_of(key: str | None) -> tuple[float, str, int] | None:
    parsed = parse_item_key(key)
    if parsed is None:
        return None
    source, item_id = parsed
    value = db.session.scalar(sa.select(TaggedText.uncertainty).where(source.tagged_fk == item_id))
    return (_UNREAD if value is None else value), source.kind, item_id


def next_uncertain(scope: Scope, coder: str, after: str | None = None) -> str | None:
    """The text this coder has not coded that the learned tagger is least sure about (active
    learning by uncertainty sampling), after `after` in the order (uncertainty descending, then
    answers before contributions, then id), so skipping moves on; texts it has not read come last."""
    position = _uncertainty_of(after)
    best = None
    for source in scope.sources:
        value = _uncertainty(source)
        query = (scope.select(source, source.item, value).outerjoin(TaggedText, source.tagged_fk == source.item)
                 .where(_not_mine(source, coder)))
        if position is not None:
            u0, kind0, id0 = position
            later = source.item > id0 if source.kind == kind0 else sa.true() if source.kind > kind0 else sa.false()
            query = query.where(sa.or_(value < u0, sa.and_(value == u0, later)))
        row = db.session.execute(query.order_by(value.desc(), source.item).limit(1)).first()
        if row is not None:
            candidate = (-row[1], source.kind, row[0])
            if best is None or candidate < best[0]:
                best = (candidate, item_key(source, row[0]))
    return best[1] if best else None


def remaining(scope: Scope, coder: str) -> int:
    """Texts in the scope this coder has not coded yet."""
    return sum(db.session.scalar(scope.select(source, sa.func.count()).where(_not_mine(source, coder)))
               for source in scope.sources)


def save_review(item: ReviewItem, coder: str, ticked: set[str], codebook) -> tuple[set[str], set[str]]:
    """Store `coder`'s decision on `item`; (accepted, rejected) themes. `ticked` holds codebook keys."""
    source, item_id = parse_item_key(item.key)
    accepted = codebook.with_parents(ticked)
    rejected = (set(item.auto) | item.proposed) - accepted
    if not accepted and not rejected:
        # "No theme" is a decision too: without a row the text would come back to this reviewer
        # and the learned tagger would never see a text that is about nothing.
        rejected = set(codebook.keys)
    column = "answer_id" if source is ANSWERS else "contribution_id"
    db.session.execute(sa.delete(ThemeTag).where(source.tag_fk == item_id, ThemeTag.coder == coder),
                       execution_options={"synchronize_session": False})
    db.session.add_all(ThemeTag(**{column: item_id}, theme=theme, coder=coder, status=status)
                       for themes, status in ((accepted, ACCEPTED), (rejected, REJECTED)) for theme in sorted(themes))
    db.session.flush()
    log.info("%s reviewed %s: accepted %s, rejected %s", coder, item.key, sorted(accepted), sorted(rejected))
    return accepted, rejected
