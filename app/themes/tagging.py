"""Automatic tags kept up to date: tagging in batches, in a background task.

A text needs tagging when it has no TaggedText row, or one made with another codebook (another
tagging hash). `bring_up_to_date` tags such texts in batches of BATCH_SIZE in id order: for each
batch it replaces the texts' "auto" ThemeTags (people's tags are never touched) and their
TaggedText rows (hash, polarity, subjectivity), then calls `commit`, so a long run keeps what it
has done and a crash loses one batch at most. The "tag_texts" task (app.themes.jobs) calls it,
started when a text is stored or the codebook changes, and so does `flask themes tag`; reports
never do (a GET only counts what is waiting, `pending_count`).

The caller passes its commit, and each batch is complete on its own (a text's tags and its
TaggedText change together).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.extensions import db
from app.models import TaggedText, ThemeTag
from app.models.base import utcnow
from app.themes.queries import (
    ACCEPTED, ANSWERS, AUTO, CONTRIBUTIONS, MACHINES, Source, all_free_text_keys, answer_base, contribution_base,
)

#: Texts per batch (one commit each): large enough to amortise the queries, small enough that a
#: batch takes about a second and holds the SQLite write lock only that long.
BATCH_SIZE = 2000
#: Longest matched text kept with a tag (the column's size).
MATCHED_LENGTH = 200


@dataclass
class TaggingRun:
    """What one run did: texts tagged, batches committed, texts still waiting."""

    tagged: int = 0
    batches: int = 0
    pending: int = 0
    #: Another process was tagging the same texts at the same time; this run stopped and left them to it.
    interrupted: bool = False


def _stale(source: Source, tag_hash: str, keys: set[str], *columns) -> sa.Select:
    """The source's texts (of people who have not withdrawn) not tagged with this codebook."""
    base = answer_base(*columns, keys=keys) if source is ANSWERS else contribution_base(*columns)
    return (base.outerjoin(TaggedText, source.tagged_fk == source.item)
            .where(sa.or_(TaggedText.id.is_(None), TaggedText.codebook_hash != tag_hash)))


def pending_count(tag_hash: str) -> int:
    """Texts waiting to be tagged with the current codebook."""
    keys = all_free_text_keys()
    return sum(db.session.scalar(_stale(source, tag_hash, keys, sa.func.count())) for source in (ANSWERS, CONTRIBUTIONS))


def read_text(text: str, lang: str | None, codebook, languages: set[str]) -> tuple[list[dict], float | None, float | None]:
    """(themes as ``analysis.themes.tag`` returns them, polarity, subjectivity) of one text.

    ``tag`` and ``sentiment`` rather than ``analyse``: analyse also extracts noun phrases, which
    tagging does not keep and which cost four times the rest for English. A language the codebook
    lacks (or a malformed code) gets no themes, and sentiment only where analysis has a lexicon.
    Each theme also gets ``"polarity"``: the sentiment of the clauses around its matches
    (``analysis.themes.theme_sentiment``), None where the language has no lexicon.
    """
    from analysis.text.normalise import LanguageError, normalise_lang
    from analysis.themes import sentiment, tag, theme_sentiment
    try:
        primary = normalise_lang(lang or "")
    except LanguageError:
        return [], None, None
    matches = tag(text, codebook, primary) if primary in languages else []
    mood = sentiment(text, primary)
    by_theme = theme_sentiment(text, matches, primary) if matches else {}
    for match in matches:
        match["polarity"] = by_theme.get(match["theme"], {}).get("polarity")
    return matches, mood["polarity"], mood["subjectivity"]


def evidence_columns(match: dict) -> dict:
    """The ThemeTag columns that say why a machine tag was suggested (how, span, matched words)."""
    span = match.get("span")
    matched = match.get("matched")
    return {"how": match.get("how"), "span_start": span[0] if span else None, "span_end": span[1] if span else None,
            "matched": matched[:MATCHED_LENGTH] if matched else None, "polarity": match.get("polarity")}


def _store(source: Source, results: list[tuple], tag_hash: str) -> None:
    """Replace the batch's automatic tags and TaggedText rows; flush only."""
    ids = [item_id for item_id, *_rest in results]
    fk = "answer_id" if source is ANSWERS else "contribution_id"
    quick = {"synchronize_session": False}
    db.session.execute(sa.delete(ThemeTag).where(source.tag_fk.in_(ids), ThemeTag.coder.in_(MACHINES)),
                       execution_options=quick)
    db.session.execute(sa.delete(TaggedText).where(source.tagged_fk.in_(ids)), execution_options=quick)
    now = utcnow()
    db.session.execute(sa.insert(TaggedText), [
        {fk: item_id, "codebook_hash": tag_hash, "polarity": polarity, "subjectivity": subjectivity, "tagged_at": now}
        for item_id, _matches, polarity, subjectivity in results])
    tags = [{fk: item_id, "theme": match["theme"], "coder": AUTO, "status": ACCEPTED, "score": match["score"],
             "created_at": now, **evidence_columns(match)}
            for item_id, matches, _polarity, _subjectivity in results for match in matches]
    if tags:
        db.session.execute(sa.insert(ThemeTag), tags)


def bring_up_to_date(codebook, tag_hash: str, *, commit, budget: float | None = None,
                     batch_size: int = BATCH_SIZE) -> TaggingRun:
    """Tag every text that needs it, batch by batch, calling `commit` after each batch.

    With a `budget` (seconds), stop starting new batches once it is spent and count what is left
    in ``pending``. If another process commits the same texts first (a unique index says so), roll
    back this batch and stop: that process is doing the work.
    """
    from app.themes.learning import current_taggers, store_suggestions
    run = TaggingRun()
    taggers = current_taggers(codebook, tag_hash)  # learned from review: its suggestions too
    keys = all_free_text_keys()
    languages = set(codebook.languages)
    started = time.monotonic()
    for source in (ANSWERS, CONTRIBUTIONS):
        last = 0
        while True:
            if budget is not None and run.batches and time.monotonic() - started > budget:
                run.pending = pending_count(tag_hash)
                return run
            rows = db.session.execute(
                _stale(source, tag_hash, keys, source.item, source.text, source.lang)
                .where(source.item > last).order_by(source.item).limit(batch_size)).all()
            if not rows:
                break
            results = [(item_id, *read_text(text, lang, codebook, languages)) for item_id, text, lang in rows]
            try:
                _store(source, results, tag_hash)
                store_suggestions(source, rows, {item: matches for item, matches, *_rest in results}, taggers)
                commit()
            except IntegrityError:
                db.session.rollback()
                run.interrupted = True
                run.pending = pending_count(tag_hash)
                return run
            last = rows[-1][0]
            run.tagged += len(rows)
            run.batches += 1
    return run
