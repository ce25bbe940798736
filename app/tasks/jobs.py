"""The job bodies: plain functions ``job(params, progress) -> result dict``, each idempotent.

- ``tag_texts``: tag every text that is new or was tagged with another codebook, batch by batch
  (app.themes.tagging); running it again finds nothing left to tag.
- ``learn_themes``: train the taggers learned from people's review and store their suggestions
  (app.themes.learning); started when enough new reviews arrive.
- ``export_responses``: write a survey's responses (CSV or JSON, the same bytes as
  ``flask export responses``) to ``<instance>/exports/<file>``, through a temporary file renamed
  into place, so a retried or repeated run writes the same file and a reader never sees half.
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.core.extensions import db



def tag_texts(params: dict, progress) -> dict:
    from app.core.database import refresh_statistics
    from app.themes.codebook import current_codebook
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
    from app.tasks.queue import submit
    from app.themes.learning import due
    if due(tag_hash):
        submit("learn_themes", {})


def learn_themes(params: dict, progress) -> dict:
    """Train the taggers learned from review and re-score the texts with them (app.themes.learning).
    Idempotent: a second run trains the same models from the same decisions."""
    from app.themes.codebook import current_codebook
    from app.themes.learning import learn
    codebook, tag_hash = current_codebook()
    if codebook is None:
        return {"decisions": 0, "languages": {}, "scored": 0}
    return learn(codebook, tag_hash, commit=db.session.commit, progress=progress)


def exports_dir() -> Path:
    path = Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_file_name(params: dict) -> str:
    return f"{params['survey']}-{params['task']}.{params['format']}"


class CountingFile:
    """A file that reports progress every ROWS_PER_REPORT writes. write_responses writes each
    row in one call, after one call for the head (the CSV header, or JSON's opening bracket)."""

    ROWS_PER_REPORT = 5000

    def __init__(self, out, progress):
        self.out, self.progress, self.writes = out, progress, 0

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes % self.ROWS_PER_REPORT == 0:
            self.progress(self.writes - 1)
        return self.out.write(text)


def export_responses(params: dict, progress) -> dict:
    from app.reporting.export import write_responses
    from app.models import Response, Survey
    survey = Survey.by_slug(params["survey"])
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.survey_id == survey.id, Response.counted())) if survey else 0
    progress(0, total)
    target = exports_dir() / export_file_name(params)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            write_responses(params["survey"], params["format"], CountingFile(out, progress))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    progress(total)
    return {"file": target.name, "bytes": target.stat().st_size}


#: Every job by the name a TaskRun's `kind` gives.
JOBS = {"tag_texts": tag_texts, "export_responses": export_responses, "learn_themes": learn_themes}
