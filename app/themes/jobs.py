"""The themes' background jobs (app.tasks runs them by name, app/tasks/jobs.py).

- ``tag_texts``: tag every text that is new or was tagged with another codebook, batch by batch
  (app.themes.tagging); running it again finds nothing left to tag.
- ``learn_themes``: train the taggers learned from people's review and store their suggestions
  (app.themes.learning); started when enough new reviews arrive.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.core.extensions import db
from app.models import TaskRun
from app.models.base import utcnow
from app.tasks import queue
from app.themes.codebook import current_codebook


def start_tag_texts(user_id: int | None = None, *, kick: bool = False) -> TaskRun | None:
    """Tag waiting texts: a recent queued tagging task is reused; None when there is no codebook.

    With `kick` (a person pressed "Tag the waiting texts now") a reused task is started again, in
    case its first start was lost (Redis emptied, a process stopped): running it twice is harmless.
    """
    codebook, _hash = current_codebook()
    if codebook is None:
        return None
    queued = db.session.scalar(sa.select(TaskRun).where(
        TaskRun.kind == "tag_texts", TaskRun.status == "queued",
        TaskRun.created_at > utcnow() - queue.REUSE_QUEUED_FOR).order_by(TaskRun.created_at.desc()).limit(1))
    if queued is None:
        return queue.submit("tag_texts", {}, user_id=user_id)
    if kick:
        return queue.start_again(queued.id)
    return queued


def tag_texts(params: dict, progress) -> dict:
    from app.core.database import refresh_statistics
    from app.themes.tagging import BATCH_SIZE, bring_up_to_date, pending_count
    codebook, tag_hash = current_codebook()
    if codebook is None:
        return {"tagged": 0, "pending": 0}
    total = pending_count(tag_hash)
    progress(0, total)
    done = 0

    def commit() -> None:  # each batch and the progress it made commit together
        nonlocal done
        done = min(total, done + batch_size)
        progress(done)

    batch_size = current_app.config.get("THEMES_TAG_BATCH_SIZE", BATCH_SIZE)
    run = bring_up_to_date(codebook, tag_hash, commit=commit, batch_size=batch_size)
    if run.batches:
        refresh_statistics()
    progress(run.tagged, max(total, run.tagged))
    _learn_if_due(tag_hash)
    return {"tagged": run.tagged, "pending": run.pending, "interrupted": run.interrupted}


def _learn_if_due(tag_hash: str) -> None:
    """After tagging (a new codebook has no learned model yet): train one if reviews call for it."""
    from app.themes.learning import due
    if due(tag_hash):
        queue.submit("learn_themes", {})


def learn_themes(params: dict, progress) -> dict:
    """Train the taggers learned from review and re-score the texts with them (app.themes.learning).
    Idempotent: a second run trains the same models from the same decisions."""
    from app.themes.learning import learn
    codebook, tag_hash = current_codebook()
    if codebook is None:
        return {"decisions": 0, "languages": {}, "scored": 0}
    return learn(codebook, tag_hash, commit=db.session.commit, progress=progress)
