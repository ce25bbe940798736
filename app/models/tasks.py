"""Background tasks (app.tasks): one row per task, so any app process can show its progress.

The row is the task's state for every runner (an RQ worker, a thread, or the request itself
when there is no Redis): the page that started a task polls it, and a task that is already
`done` does nothing when it is run again (RQ may deliver a job twice).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import one_of, utcnow

#: States of a task, in the order they happen; "retrying" after a failed attempt with attempts left.
TASK_STATES = ("queued", "running", "retrying", "done", "failed")


class TaskRun(db.Model):
    __tablename__ = "task_runs"
    __table_args__ = (one_of("status", TASK_STATES),)

    #: A random id (uuid4 hex); also the RQ job id, so enqueueing the same task twice runs it once.
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: What to run: a key of app.tasks.jobs.JOBS ("tag_texts", "learn_themes", "export_responses").
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: The job's arguments (e.g. {"survey": slug, "format": "csv"}).
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: One of TASK_STATES.
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    #: Units done so far and the units expected (None while unknown), for the progress bar.
    progress: Mapped[int] = mapped_column(sa.Integer, default=0)
    total: Mapped[int | None] = mapped_column(sa.Integer)
    #: Attempts started; a failed attempt is retried until app.tasks.runner.MAX_RETRIES.
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: What the job returned (e.g. {"file": name, "rows": n}); None until done.
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    #: The last attempt's error, for the status page and the log.
    error: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
