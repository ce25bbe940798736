"""A task's progress (endpoints tasks.*): a page that refreshes itself while the task runs (no
JavaScript needed) and the same as JSON for scripts and pages that poll."""
from __future__ import annotations

from flask import abort, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.extensions import db
from app.models import TaskRun

#: Seconds between refreshes of the status page while the task has not finished.
REFRESH_SECONDS = 3
#: Kinds only admins may see (their result is a file of every response).
ADMIN_KINDS = ("export_responses",)


def visible_task(task_id: str) -> TaskRun:
    run = db.session.get(TaskRun, task_id)
    if run is None or (run.kind in ADMIN_KINDS and current_user.role != "admin"):
        abort(404)
    return run


def task_title(run: TaskRun) -> str:
    if run.kind == "export_responses":
        return _("Exporting the responses of %(survey)s", survey=run.params.get("survey", ""))
    if run.kind == "learn_themes":
        return _("Learning from review: training the tagger and updating its suggestions")
    return _("Tagging new texts with the codebook's themes")


def state_label(run: TaskRun) -> str:
    return {"queued": _("Waiting to start"), "running": _("Running"), "retrying": _("It failed; trying again"),
            "done": _("Done"), "failed": _("Failed")}[run.status]


def download_url(run: TaskRun) -> str | None:
    if run.kind == "export_responses" and run.status == "done":
        return url_for("admin.export_download", task_id=run.id)
    return None


def status(task_id: str):
    run = visible_task(task_id)
    return render_template("tasks/status.html", run=run, title=task_title(run), state=state_label(run),
                           download=download_url(run), refresh=None if run.finished else REFRESH_SECONDS)


def status_json(task_id: str):
    run = visible_task(task_id)
    return jsonify({"id": run.id, "kind": run.kind, "status": run.status, "progress": run.progress,
                    "total": run.total, "attempts": run.attempts, "error": run.error, "result": run.result,
                    "download": download_url(run)})
