"""Starting tasks: a TaskRun row, then RQ (REDIS_URL set) or this process (no Redis).

A task must start only after the data it works on is committed, so operations that flush say
``after_commit(kind)``; a session event keeps the wish when the transaction commits (and drops
it on rollback), and an ``after_request`` hook starts the task once the response is ready. A
task that cannot be started (Redis away) is logged and never fails the request: the work is
still visible as waiting (e.g. texts waiting for the tagger) and can be started again.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.extensions import db
from app.models import TaskRun
from app.models.base import utcnow
from app.tasks.jobs import JOBS, STARTERS, resolve
from app.tasks.runner import MAX_RETRIES, run_with_retries

log = logging.getLogger(__name__)

#: Seconds between RQ retries (config TASK_RETRY_INTERVAL): a database or disk that was briefly
#: away gets time to come back.
RETRY_INTERVAL = 30
#: Seconds an RQ job may run before the worker stops it (config TASK_TIMEOUT): an export of a
#: million responses at 20,000 rows/s takes about a minute.
JOB_TIMEOUT = 3600
#: A tagging task queued this recently is reused instead of queueing another: a burst of
#: submissions makes one tagging task, not one each.
REUSE_QUEUED_FOR = dt.timedelta(minutes=10)
#: Name of the RQ queue (config TASK_QUEUE).
QUEUE_NAME = "common-ground"

_PENDING = "tasks_pending"
_COMMITTED = "tasks_committed"


def after_commit(kind: str, **params) -> None:
    """Start task `kind` once the current transaction commits (flush-only code calls this)."""
    wishes = db.session.info.setdefault(_PENDING, [])
    if (kind, params) not in wishes:
        wishes.append((kind, params))


@event.listens_for(Session, "after_commit")
def _keep_committed_wishes(session) -> None:
    committed = session.info.setdefault(_COMMITTED, [])
    for wish in session.info.pop(_PENDING, None) or []:
        if wish not in committed:
            committed.append(wish)


@event.listens_for(Session, "after_rollback")
def _drop_wishes(session) -> None:
    session.info.pop(_PENDING, None)


def start_committed() -> list[TaskRun]:
    """Start the tasks asked for by transactions that have committed; never raises."""
    wishes = db.session.info.pop(_COMMITTED, None) or []
    started = []
    for kind, params in wishes:
        try:
            run = resolve(STARTERS[kind])() if kind in STARTERS else submit(kind, params)
        except Exception:  # the request's own work is committed: log, never fail it
            db.session.rollback()
            log.exception("could not start the %s task", kind)
            continue
        if run is not None:
            started.append(run)
    return started


def forget_committed() -> None:
    """Drop the tasks asked for so far (the caller did their work itself, e.g. the demo's seeding)."""
    db.session.info.pop(_COMMITTED, None)


def redis_url() -> str:
    return current_app.config.get("TASKS_REDIS_URL") or current_app.config.get("REDIS_URL") or ""


def submit(kind: str, params: dict, *, user_id: int | None = None) -> TaskRun:
    """Record a task (committed) and start it: on RQ, or in this process. Returns its row."""
    if kind not in JOBS:
        raise KeyError(kind)
    task_id = uuid.uuid4().hex
    run = TaskRun(id=task_id, kind=kind, params={**params, "task": task_id}, status="queued", progress=0, attempts=0,
                  user_id=user_id)
    db.session.add(run)
    db.session.commit()
    if redis_url():
        try:
            enqueue_rq(task_id)
        except Exception as exc:  # Redis away: say so on the task's row rather than leave it "queued"
            db.session.rollback()
            db.session.execute(sa.update(TaskRun).where(TaskRun.id == task_id).values(
                status="failed", error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=utcnow()))
            db.session.commit()
            raise
    else:
        run_in_process(task_id)
    return db.session.get(TaskRun, task_id)


def start_again(task_id: str) -> TaskRun:
    """Start a recorded task once more, in case its first start was lost (Redis emptied, a process
    stopped): a task is idempotent, so running it twice is harmless."""
    if redis_url():
        enqueue_rq(task_id)
    else:
        run_in_process(task_id)
    return db.session.get(TaskRun, task_id)


def rq_queue():
    import redis
    from rq import Queue
    config = current_app.config
    connection = redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=10)
    return Queue(config.get("TASK_QUEUE", QUEUE_NAME), connection=connection)


def enqueue_rq(task_id: str):
    """The RQ job for a task; its id is the task's, so a second enqueue of one task replaces nothing."""
    from rq import Retry
    config = current_app.config
    retries = config.get("TASK_RETRIES", MAX_RETRIES)
    return rq_queue().enqueue(
        "app.tasks.runner.run_task", task_id, job_id=task_id,
        retry=Retry(max=retries, interval=config.get("TASK_RETRY_INTERVAL", RETRY_INTERVAL)) if retries else None,
        job_timeout=config.get("TASK_TIMEOUT", JOB_TIMEOUT), result_ttl=86400, failure_ttl=7 * 86400)


#: One task at a time per process without Redis: two tagging runs would only race for the same texts.
_in_process_lock = threading.RLock()


def run_in_process(task_id: str) -> None:
    """Without Redis: at once ("sync", used by the tests and the CLI) or in a thread ("thread")."""
    app = current_app._get_current_object()

    def run() -> None:
        with _in_process_lock, app.app_context():
            run_with_retries(task_id)

    if app.config.get("TASKS_IN_PROCESS", "thread") == "sync":
        run()
    else:
        threading.Thread(target=run, name=f"task-{task_id}", daemon=True).start()


def init_app(app) -> None:
    app.config.setdefault("TASKS_IN_PROCESS", "thread")

    @app.after_request
    def _start_tasks(response):
        if db.session.info.get(_COMMITTED):
            start_committed()
        return response
