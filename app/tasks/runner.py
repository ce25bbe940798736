"""Running one task: idempotent, retried with a limit, its progress and outcome on its TaskRun row.

``run_task`` is what an RQ worker calls; ``run_with_retries`` is the same without Redis. Each
attempt runs in an app context of its own (its own database session), so a task started after
a request never shares that request's transaction.
"""
from __future__ import annotations

import logging
import os

from flask import current_app, has_app_context

from app.core.extensions import db
from app.models import TaskRun
from app.models.base import utcnow

log = logging.getLogger(__name__)

#: Attempts after the first one before a task is marked failed (config TASK_RETRIES).
MAX_RETRIES = 2

#: The process that imported this module; an RQ work horse forked from it must not reuse the
#: parent's database connections (SQLAlchemy's rule for forks).
_IMPORTED_IN = os.getpid()


class Progress:
    """What a job calls to say how far it is: ``progress(done, total=None)`` commits both."""

    def __init__(self, task_id: str):
        self.task_id = task_id

    def __call__(self, done: int, total: int | None = None) -> None:
        run = db.session.get(TaskRun, self.task_id)
        run.progress = done
        if total is not None:
            run.total = total
        db.session.commit()


def attempt(task_id: str) -> bool:
    """Run the task once unless it is done already. Returns True if it is done; raises what the job raised."""
    from app.tasks.jobs import job
    run = db.session.get(TaskRun, task_id)
    if run is None:
        log.warning("task %s is not in the database; nothing to run", task_id)
        return False
    if run.status in ("done", "failed"):
        return run.status == "done"  # delivered twice, or run again by hand: it changes nothing
    run.status, run.attempts, run.started_at, run.error = "running", run.attempts + 1, utcnow(), None
    db.session.commit()
    try:
        result = job(run.kind)(dict(run.params or {}), Progress(task_id))
    except Exception as exc:
        db.session.rollback()
        run = db.session.get(TaskRun, task_id)
        last = run.attempts > current_app.config.get("TASK_RETRIES", MAX_RETRIES)
        run.status, run.error = ("failed" if last else "retrying"), f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = utcnow() if last else None
        db.session.commit()
        log.exception("task %s (%s), attempt %s, failed", task_id, run.kind, run.attempts)
        raise
    run = db.session.get(TaskRun, task_id)
    run.status, run.result, run.finished_at = "done", result, utcnow()
    db.session.commit()
    return True


def run_with_retries(task_id: str) -> bool:
    """Without Redis: attempt until done or out of retries (no pause: the in-process runner is for
    small installations, where a failure is rarely passing). Never raises."""
    while True:
        try:
            return attempt(task_id)
        except Exception:
            db.session.rollback()
            run = db.session.get(TaskRun, task_id)
            if run is None or run.status == "failed":
                return False


def run_task(task_id: str) -> bool:
    """The RQ job: one attempt in a fresh app context; RQ's Retry re-enqueues it if it raises."""
    if has_app_context():
        app = current_app._get_current_object()
    else:  # a plain `rq worker` rather than `flask worker`
        from app import create_app
        app = create_app()
    with app.app_context():
        if os.getpid() != _IMPORTED_IN:
            db.engine.dispose(close=False)
        try:
            return attempt(task_id)
        finally:
            db.session.remove()
