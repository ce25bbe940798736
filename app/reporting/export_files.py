"""Exports as files: the ``export_responses`` job writes a survey's responses (CSV or JSON, the
same bytes as ``flask export responses``) to ``<instance>/exports/<file>``, through a temporary
file renamed into place, so a retried or repeated run writes the same file and a reader never
sees half. app.tasks runs it by name (app/tasks/jobs.py); the admin's exports page serves it.
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.core.extensions import db


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
    from app.models import Response, Survey
    from app.reporting.export import write_responses
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
