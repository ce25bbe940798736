"""Every job by the name a TaskRun's ``kind`` gives, as ``"module:function"`` (the way RQ names
jobs), so that the queue, which the features use, never imports the features.

A job is a plain function ``job(params, progress) -> result dict``, idempotent, in the room it
belongs to: tagging and learning in app/themes/jobs.py, exports in app/reporting/export_files.py.
"""
from __future__ import annotations

from importlib import import_module
from typing import Callable

JOBS: dict[str, str | Callable] = {
    "tag_texts": "app.themes.jobs:tag_texts",
    "learn_themes": "app.themes.jobs:learn_themes",
    "export_responses": "app.reporting.export_files:export_responses",
}
#: Kinds whose start is more than a new task: a tagging task queued recently is reused.
STARTERS: dict[str, str] = {"tag_texts": "app.themes.jobs:start_tag_texts"}


def resolve(entry: str | Callable) -> Callable:
    """The function a ``"module:function"`` entry names (a callable is itself: tests swap jobs)."""
    if callable(entry):
        return entry
    module, _, name = entry.partition(":")
    return getattr(import_module(module), name)


def job(kind: str) -> Callable:
    return resolve(JOBS[kind])
