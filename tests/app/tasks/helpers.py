"""Helpers shared by the task tests: a survey with answers, the export through the admin page,
commits counted during a request."""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.core.extensions import db
from app.models import TaskRun
from tests.forms import hidden_fields

SLUG = "community-needs"


def submit(client, text: str, lang: str = "en") -> int:
    body = {"submission_id": uuid.uuid4().hex, "lang": lang,
            "answers": {"priorities": ["housing", "transport"], "biggest_change": text}}
    response = client.post(f"/api/v1/surveys/{SLUG}/responses", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def start_export(client, fmt: str = "csv"):
    """Post the admin's export form as a browser would; the response (a 303 to the task's page)."""
    html = client.get("/admin/exports").get_data(as_text=True)
    return client.post("/admin/exports", data={**hidden_fields(html), "survey": SLUG, "format": fmt})


def task_id_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rstrip("/").split("/")[-1]


def synchronous_export(app, fmt: str = "csv") -> bytes:
    """What `flask export responses` writes to standard output, for comparison."""
    result = app.test_cli_runner().invoke(args=["export", "responses", "--survey", SLUG, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def task_row(app, task_id: str) -> dict:
    with app.app_context():
        run = db.session.get(TaskRun, task_id)
        return {c.key: getattr(run, c.key) for c in sa.inspect(TaskRun).column_attrs}


@contextmanager
def counting_commits():
    """Every commit of any session while inside, as a list (one entry per commit)."""
    commits = []

    def count(session):
        commits.append(session)

    sa.event.listen(Session, "after_commit", count)
    try:
        yield commits
    finally:
        sa.event.remove(Session, "after_commit", count)


def fetch_file(client, url: str):
    """(response, bytes) of a download, its file closed (send_file keeps it open until then)."""
    response = client.get(url)
    data = response.get_data()
    response.close()
    return response, data
