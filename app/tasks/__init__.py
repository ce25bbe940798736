"""Background tasks: work that must not run inside a request (issue #14, "A task queue").

- ``queue`` starts a task: a TaskRun row (its state and progress, readable by every app
  process), then an RQ job on Redis when REDIS_URL is set, else the same job in this process
  (a thread after the response, or at once when TASKS_IN_PROCESS is "sync"). Operations that
  only flush say ``after_commit("tag_texts")``; the task starts once the request has committed.
- ``runner`` runs one task: idempotent (a task already done does nothing), retried up to
  TASK_RETRIES times (RQ's Retry, or a loop in process), progress written as it goes.
- ``jobs`` holds the job bodies: tagging new texts, exporting a survey's responses to a file.
- ``views`` is the status page (its URLs in ``blueprint``) that refreshes itself (no JavaScript) and its JSON twin;
  ``worker`` is ``flask --app wsgi worker``.

Why RQ rather than Celery: RQ is small (one dependency besides redis-py, which we already use
for the sign-in limits), jobs are plain functions, its Retry and burst-mode SimpleWorker make
retries and tests simple, and we need no broker other than Redis, no beat, no result backend.
"""
from __future__ import annotations


def init_app(app) -> None:
    from app.tasks import queue, worker
    queue.init_app(app)
    app.cli.add_command(worker.worker_command)
