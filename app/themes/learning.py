"""Learning from review: people's decisions train a tagger per language (analysis.themes.train),
and its suggestions, with their probabilities, are stored beside the codebook's tags.

- **What it learns from**: every text a person reviewed (their accepted themes, with parents;
  a text several people reviewed counts once, with every theme someone accepted, as the report
  counts it). Rejected and added themes are in there too: a rejected theme is simply absent.
- **When**: in the background (the "learn_themes" task, app.tasks), once LEARN_EVERY more texts
  have been reviewed since the last training (counted over every language), after the codebook
  changed and its texts were tagged again, or by ``flask themes learn``.
- **Where the model lives**: the ``learned_models`` table, one row per codebook (tagging hash)
  and language, as JSON numbers (no pickle): every app process and worker reads the same one.
- **What it writes**: ThemeTag rows with coder ``learned`` (queries.LEARNED), how ``learned``:
  ``accepted`` for a theme it suggests, ``rejected`` for a codebook match it turns down, score =
  its probability; and TaggedText.uncertainty, which orders the review queue. People's rows are
  never touched, and the report counts people and the codebook only: a suggestion counts once a
  person accepts it.
"""
from __future__ import annotations

import json
import logging
import zlib

import sqlalchemy as sa
from flask import current_app

from app.core.extensions import db
from app.models import LearnedModel, TaggedText, TaskRun, ThemeTag
from app.models.base import utcnow
from app.themes.evaluation import MIN_FOLD_TEXTS, PAGE_FOLDS
from app.themes.queries import (
    ACCEPTED, ANSWERS, CONTRIBUTIONS, LEARNED, MACHINES, REJECTED, Source, all_free_text_keys, answer_base,
    contribution_base,
)

log = logging.getLogger("common_ground.themes")

#: Reviewed texts (any language) since the last training that start a new one (config
#: THEMES_LEARN_EVERY). Small enough that a day's review changes the model, large enough that
#: a reviewer's every click does not start a training of a few seconds.
LEARN_EVERY = 20
#: Texts re-scored per committed batch.
BATCH_SIZE = 2000
#: Folds of the cross-validation stored with a model (the themes page shows it), and the fewest
#: reviewed texts for it.
FOLDS = PAGE_FOLDS
MIN_CV_TEXTS = PAGE_FOLDS * MIN_FOLD_TEXTS
#: Parsed models by (row id, trained at): parsing a model of 10,000 features takes ~50 ms.
_cache: dict[tuple, object] = {}


def _primary(lang: str | None) -> str | None:
    from analysis.text.normalise import LanguageError, normalise_lang
    try:
        return normalise_lang(lang or "")
    except LanguageError:
        return None


def reviewed_count() -> int:
    """Texts at least one person has reviewed (any language)."""
    people = ThemeTag.coder.not_in(MACHINES)
    return sum(db.session.scalar(sa.select(sa.func.count(sa.distinct(column))).where(column.is_not(None), people))
               for column in (ThemeTag.answer_id, ThemeTag.contribution_id))


def examples_by_language(codebook) -> dict[str, list[tuple[str, set[str]]]]:
    """{primary language: [(text, themes people accepted)]} over every reviewed text the codebook
    has keywords for (withdrawn people's texts left out, as everywhere)."""
    languages = set(codebook.languages)
    keys = all_free_text_keys()
    found: dict[str, list] = {}
    for source in (ANSWERS, CONTRIBUTIONS):
        base = (answer_base(source.item, source.text, source.lang, keys=keys) if source is ANSWERS
                else contribution_base(source.item, source.text, source.lang))
        people = sa.select(source.tag_fk).where(source.tag_fk.is_not(None), ThemeTag.coder.not_in(MACHINES))
        texts = {item: (text, lang) for item, text, lang in db.session.execute(base.where(source.item.in_(people)))}
        accepted: dict[int, set[str]] = {item: set() for item in texts}
        for item, theme in db.session.execute(sa.select(source.tag_fk, ThemeTag.theme).where(
                source.tag_fk.in_(list(texts)), ThemeTag.coder.not_in(MACHINES), ThemeTag.status == ACCEPTED)):
            if theme in codebook:
                accepted[item].add(theme)
        for item in sorted(texts):
            text, lang = texts[item]
            primary = _primary(lang)
            if primary in languages:
                found.setdefault(primary, []).append((text, codebook.with_parents(accepted[item])))
    return found


def _encode(tagger) -> bytes:
    return zlib.compress(json.dumps(tagger.to_dict(), separators=(",", ":")).encode())


def load_tagger(row: LearnedModel, codebook):
    """The LearnedTagger of a stored row (parsed once per row and training)."""
    from analysis.themes import LearnedTagger
    key = (row.id, row.trained_at)
    tagger = _cache.get(key)
    if tagger is None:
        tagger = LearnedTagger.from_dict(json.loads(zlib.decompress(row.model)), codebook)
        if len(_cache) > 16:
            _cache.clear()
        _cache[key] = tagger
    return tagger


def current_models(tag_hash: str) -> list[LearnedModel]:
    return list(db.session.scalars(sa.select(LearnedModel).where(LearnedModel.codebook_hash == tag_hash)
                                   .order_by(LearnedModel.lang)))


def current_taggers(codebook, tag_hash: str) -> dict:
    """{primary language: LearnedTagger} for the current codebook; empty before any training."""
    return {row.lang: load_tagger(row, codebook) for row in current_models(tag_hash)}


def due(tag_hash: str) -> bool:
    """Enough new reviews since the last training (or none yet for this codebook), and no
    training waiting or running already."""
    every = current_app.config.get("THEMES_LEARN_EVERY", LEARN_EVERY)
    last = db.session.scalar(sa.select(sa.func.max(LearnedModel.decisions)).where(LearnedModel.codebook_hash == tag_hash))
    if reviewed_count() - (last or 0) < every:
        return False
    busy = db.session.scalar(sa.select(sa.func.count()).select_from(TaskRun).where(
        TaskRun.kind == "learn_themes", TaskRun.status.in_(("queued", "running", "retrying"))))
    return not busy


def learn_after_commit(tag_hash: str) -> None:
    """Ask for a training once this transaction commits, if one is due (flush-only callers)."""
    from app.tasks.queue import after_commit
    if due(tag_hash):
        after_commit("learn_themes")


def suggestions(tagger, text: str, matches: list[dict]) -> tuple[list[dict], float | None]:
    """(ThemeTag values for one text, its uncertainty): accepted rows for the themes the models
    suggest, rejected rows for the codebook matches they turn down; themes the codebook decides
    alone get no row."""
    from analysis.themes import LEARNED as HOW_LEARNED
    probabilities = tagger.probabilities(text, matches)
    found = {m["theme"] for m in matches}
    rows = []
    for theme, p in probabilities.items():
        if p >= tagger.thresholds[theme]:
            rows.append({"theme": theme, "status": ACCEPTED, "score": p, "how": HOW_LEARNED})
        elif theme in found:
            rows.append({"theme": theme, "status": REJECTED, "score": p, "how": HOW_LEARNED})
    return rows, tagger.uncertainty(probabilities)


def store_suggestions(source: Source, texts: list[tuple], matches: dict[int, list[dict]], taggers: dict) -> int:
    """Replace the learned rows and uncertainty of a batch of texts ``(id, text, lang)``; flush only.
    `matches` holds the codebook's matches per id (computed when missing). Returns rows written."""
    from analysis.themes import tag
    if not taggers or not texts:
        return 0
    ids = [item for item, _text, _lang in texts]
    quick = {"synchronize_session": False}
    db.session.execute(sa.delete(ThemeTag).where(source.tag_fk.in_(ids), ThemeTag.coder == LEARNED),
                       execution_options=quick)
    fk = "answer_id" if source is ANSWERS else "contribution_id"
    now, rows, uncertain = utcnow(), [], []
    for item, text, lang in texts:
        tagger = taggers.get(_primary(lang))
        if tagger is None:
            continue
        found = matches.get(item)
        if found is None:
            found = tag(text, tagger.codebook, tagger.lang)
        values, uncertainty = suggestions(tagger, text, found)
        rows.extend({fk: item, "coder": LEARNED, "created_at": now, **value} for value in values)
        uncertain.append({"item": item, "u": uncertainty})
    if rows:
        db.session.execute(sa.insert(ThemeTag), rows)
    if uncertain:
        # Core, not ORM: an ORM UPDATE with many parameter sets wants primary keys.
        table = TaggedText.__table__
        db.session.execute(sa.update(table).where(table.c[source.tagged_fk.key] == sa.bindparam("item"))
                           .values(uncertainty=sa.bindparam("u")), uncertain)
    return len(rows)


def _save_model(tag_hash: str, lang: str, tagger, examples: int, decisions: int, figures: dict | None) -> None:
    row = db.session.scalar(sa.select(LearnedModel).where(LearnedModel.codebook_hash == tag_hash,
                                                          LearnedModel.lang == lang))
    if row is None:
        row = LearnedModel(codebook_hash=tag_hash, lang=lang)
        db.session.add(row)
    row.examples, row.decisions, row.figures = examples, decisions, figures
    row.learned_themes, row.model, row.trained_at = list(tagger.learned_themes), _encode(tagger), utcnow()
    db.session.flush()


def learn(codebook, tag_hash: str, *, commit, progress=None) -> dict:
    """Train a tagger per language from the reviewed texts, store it, and re-score every text of
    that language with it, batch by batch (`commit` after each). Returns what was done."""
    from analysis.themes import cross_validate, train
    decisions = reviewed_count()
    by_language = examples_by_language(codebook)
    trained = {}
    for lang, examples in by_language.items():
        tagger = train(codebook, examples, lang)
        figures = cross_validate(codebook, examples, lang, FOLDS) if len(examples) >= MIN_CV_TEXTS else None
        _save_model(tag_hash, lang, tagger, len(examples), decisions, figures)
        commit()
        trained[lang] = {"examples": len(examples), "learned_themes": list(tagger.learned_themes)}
        log.info("learned a %s tagger from %s reviewed texts; models decide %s", lang, len(examples),
                 ", ".join(tagger.learned_themes) or "no theme")
    scored = rescore(codebook, tag_hash, commit=commit, progress=progress)
    return {"decisions": decisions, "languages": trained, "scored": scored}


def rescore(codebook, tag_hash: str, *, commit, progress=None) -> int:
    """Write the current learned taggers' suggestions for every text tagged with this codebook."""
    taggers = current_taggers(codebook, tag_hash)
    if not taggers:
        return 0
    keys = all_free_text_keys()
    done = 0
    for source in (ANSWERS, CONTRIBUTIONS):
        base = (answer_base(source.item, source.text, source.lang, keys=keys) if source is ANSWERS
                else contribution_base(source.item, source.text, source.lang))
        base = base.join(TaggedText, source.tagged_fk == source.item).where(TaggedText.codebook_hash == tag_hash)
        last = 0
        while True:
            rows = db.session.execute(base.where(source.item > last).order_by(source.item).limit(BATCH_SIZE)).all()
            if not rows:
                break
            store_suggestions(source, [tuple(r) for r in rows], {}, taggers)
            commit()
            done += len(rows)
            last = rows[-1][0]
            if progress is not None:
                progress(done)
    return done
