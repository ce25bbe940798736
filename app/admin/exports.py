"""Exports of a survey's responses in the browser (admin.exports*): started as a background task
(app.tasks), written to a file in the instance folder, downloaded from the task's page when done.

A large survey takes longer than a request may: the export runs in an RQ worker (or a thread
without Redis) and the page that started it follows its progress. The file holds the same bytes
as `flask export responses`.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.extensions import db
from app.models import Survey, TaskRun
from app.reporting.export_files import export_file_name, exports_dir
from app.tasks import queue

#: Formats on offer, as `flask export responses --format` has them.
FORMATS = ("csv", "json")
#: Recent exports listed under the form.
RECENT = 20


def exports():
    surveys = db.session.scalars(sa.select(Survey).order_by(Survey.slug)).all()
    errors = {}
    if request.method == "POST":
        slug, fmt = request.form.get("survey", ""), request.form.get("format", "csv")
        if slug not in {s.slug for s in surveys}:
            errors["survey"] = _("Choose a survey from the list.")
        if fmt not in FORMATS:
            errors["format"] = _("Choose CSV or JSON.")
        if not errors:
            audit.record("export", f"survey:{slug}", via="web", format=fmt)  # committed with the task's row
            try:
                run = queue.submit("export_responses", {"survey": slug, "format": fmt}, user_id=current_user.id)
            except Exception:  # Redis away: the task row says queued, but nothing will run it
                db.session.rollback()
                flash(_("The export could not be started because the task queue is not answering. Try again in a minute."),
                      "error")
                return redirect(url_for("admin.exports"), 303)
            return redirect(url_for("tasks.status", task_id=run.id), 303)
    recent = db.session.scalars(sa.select(TaskRun).where(TaskRun.kind == "export_responses")
                                .order_by(TaskRun.created_at.desc()).limit(RECENT)).all()
    return render_template("admin/exports.html", surveys=surveys, formats=FORMATS, errors=errors, recent=recent,
                           title=_("Export responses")), (422 if errors else 200)


def export_download(task_id: str):
    run = db.session.get(TaskRun, task_id)
    if run is None or run.kind != "export_responses" or run.status != "done":
        abort(404)
    path = exports_dir() / export_file_name(run.params)
    if not path.is_file():
        abort(404)
    audit.record("export", f"survey:{run.params['survey']}", via="web", format=run.params["format"], file=path.name)
    db.session.commit()
    mimetype = "text/csv" if run.params["format"] == "csv" else "application/json"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name)
