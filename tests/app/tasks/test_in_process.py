"""Tasks without Redis: the same jobs run in this process after the request's commit (here at
once, TASKS_IN_PROCESS=sync; also in a thread), idempotent, retried up to a limit, with their
progress on a page; a GET of the themes report never commits."""
import time

import sqlalchemy as sa

from app.core.extensions import db
from app.models import TaggedText, TaskRun
from tests.app.tasks.helpers import counting_commits, fetch_file, start_export, submit, synchronous_export, task_id_of, task_row


def test_the_export_task_writes_the_same_csv_as_the_synchronous_export(tasks_app, client, auth):
    submit(client, "The bus, \"sometimes\", never comes.\nTwice a day.")
    submit(client, "=HYPERLINK(rent)", lang="es")
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    page = client.get(f"/tasks/{task_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Done" in html and 'http-equiv="refresh"' not in html
    status = client.get(f"/tasks/{task_id}/status").get_json()
    assert status["status"] == "done" and status["attempts"] == 1 and (status["progress"], status["total"]) == (2, 2)
    assert status["download"] == f"/admin/exports/{task_id}/download" and status["download"] in html
    download, data = fetch_file(client, status["download"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert data == synchronous_export(tasks_app, "csv")
    assert b"'=HYPERLINK(rent)" in data  # the same formula guard as the command line


def test_the_json_export_task_matches_too(tasks_app, client, auth):
    submit(client, "Más parques.", lang="es")
    auth.login("admin")
    task_id = task_id_of(start_export(client, "json"))
    download, data = fetch_file(client, f"/admin/exports/{task_id}/download")
    assert download.mimetype == "application/json" and data == synchronous_export(tasks_app, "json")


def test_a_task_run_twice_changes_nothing(tasks_app, client, auth):
    from app.reporting.export_files import export_file_name, exports_dir
    from app.tasks.runner import run_with_retries
    submit(client, "The park needs lights.")
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    before = task_row(tasks_app, task_id)
    with tasks_app.app_context():
        path = exports_dir() / export_file_name(before["params"])
        written = (path.read_bytes(), path.stat().st_mtime_ns)
        tags = db.session.execute(sa.select(TaggedText.id, TaggedText.tagged_at)).all()
        tag_task = db.session.scalar(sa.select(TaskRun.id).where(TaskRun.kind == "tag_texts"))
        assert run_with_retries(task_id) is True and run_with_retries(tag_task) is True
        assert (path.read_bytes(), path.stat().st_mtime_ns) == written
        assert db.session.execute(sa.select(TaggedText.id, TaggedText.tagged_at)).all() == tags
    assert task_row(tasks_app, task_id) == before


def test_the_job_bodies_are_idempotent_too(tasks_app, client):
    """Run the tagging job body itself twice (as RQ may after a lost acknowledgement): the second finds nothing."""
    from app.themes.jobs import tag_texts
    submit(client, "Rent is too high.")
    with tasks_app.app_context():
        tags = db.session.execute(sa.select(TaggedText.id, TaggedText.codebook_hash, TaggedText.tagged_at)).all()
        assert tag_texts({}, lambda done, total=None: None) == {"tagged": 0, "pending": 0, "interrupted": False}
        assert db.session.execute(sa.select(TaggedText.id, TaggedText.codebook_hash, TaggedText.tagged_at)).all() == tags
    assert len(tags) == 1


def test_a_failing_task_is_retried_up_to_the_limit_then_marked_failed(tasks_app, client, auth, monkeypatch):
    from app.tasks import jobs
    calls = []

    def broken(params, progress):
        calls.append(params["survey"])
        raise OSError("disk full")

    monkeypatch.setitem(jobs.JOBS, "export_responses", broken)
    tasks_app.config["TASK_RETRIES"] = 2
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    row = task_row(tasks_app, task_id)
    assert calls == ["community-needs"] * 3
    assert (row["status"], row["attempts"], row["error"]) == ("failed", 3, "OSError: disk full")
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Failed" in html and "disk full" in html and "/download" not in html
    assert client.get(f"/admin/exports/{task_id}/download").status_code == 404


def test_a_task_that_fails_once_succeeds_on_the_retry(tasks_app, client, auth, monkeypatch):
    from app.tasks import jobs
    real = jobs.job("export_responses")
    calls = []

    def flaky(params, progress):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database away")
        return real(params, progress)

    monkeypatch.setitem(jobs.JOBS, "export_responses", flaky)
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    row = task_row(tasks_app, task_id)
    assert (row["status"], row["attempts"], row["error"]) == ("done", 2, None)
    assert fetch_file(client, f"/admin/exports/{task_id}/download")[1] == synchronous_export(tasks_app)


def test_a_get_of_the_themes_report_never_commits(tasks_app, client, auth, tasks_held):
    submit(client, "The bus is late.")  # its tagging task is held: the text waits
    auth.login("equity_lead")
    for url in ("/reports/themes", "/reports/themes/review", "/reports/themes?format=csv", "/api/v1/reports/themes"):
        if url.startswith("/api"):
            continue
        with counting_commits() as commits:
            page = client.get(url)
        assert page.status_code == 200
        # The CSV download commits its audit record, and nothing else; the pages commit nothing.
        assert len(commits) == (1 if "format=" in url else 0), url
    html = client.get("/reports/themes").get_data(as_text=True)
    assert "1 text is still waiting for the automatic tagger" in html and 'id="tag-now"' in html
    with tasks_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) == 0


def test_the_tag_now_button_starts_a_task_and_its_page_follows_it(tasks_app, client, auth, tasks_held):
    from tests.forms import hidden_fields
    submit(client, "The bus is late.")
    auth.login("equity_lead")
    html = client.get("/reports/themes").get_data(as_text=True)
    index = html.count("<form", 0, html.index('id="tag-now"')) - 1
    response = client.post("/reports/themes/tag", data=hidden_fields(html, index))
    task_id = task_id_of(response)
    assert tasks_held == [task_id, task_id]  # the submission's queued task, reused and started again
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page and "Waiting to start" in page
    from app.tasks.runner import run_with_retries
    with tasks_app.app_context():
        run_with_retries(task_id)
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Done" in page and "1 of 1" in page and "http-equiv" not in page
    assert client.get(f"/tasks/{task_id}/status").get_json()["result"] == {
        "tagged": 1, "pending": 0, "interrupted": False}


def test_an_equity_lead_cannot_see_an_export_task(tasks_app, client, auth):
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    auth.logout()
    auth.login("equity_lead")
    assert client.get(f"/tasks/{task_id}").status_code == 404
    assert client.get(f"/tasks/{task_id}/status").status_code == 404
    assert client.get(f"/admin/exports/{task_id}/download").status_code == 403


def test_a_bad_export_form_gets_clear_errors(tasks_app, client, auth):
    from tests.forms import hidden_fields
    auth.login("admin")
    html = client.get("/admin/exports").get_data(as_text=True)
    response = client.post("/admin/exports", data={**hidden_fields(html), "survey": "nope", "format": "xls"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose a survey from the list." in text and "Choose CSV or JSON." in text
    with tasks_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskRun).where(
            TaskRun.kind == "export_responses")) == 0


def test_in_a_thread_the_task_runs_after_the_response(tasks_app, client):
    tasks_app.config["TASKS_IN_PROCESS"] = "thread"
    submit(client, "Rent, rent, rent.")
    with tasks_app.app_context():
        for _ in range(200):  # up to 20 s: the first tagging imports TextBlob
            db.session.expire_all()
            status = db.session.scalar(sa.select(TaskRun.status).where(TaskRun.kind == "tag_texts"))
            if status in ("done", "failed"):
                break
            time.sleep(0.1)
        db.session.rollback()
    assert status == "done"
    with tasks_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) == 1


def test_a_redis_that_is_away_never_fails_a_submission(tasks_app, client, auth):
    tasks_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response_id = submit(client, "The bus is late.")
    assert response_id
    auth.login("admin")
    html = client.get("/admin/exports").get_data(as_text=True)
    from tests.forms import hidden_fields
    response = client.post("/admin/exports", data={**hidden_fields(html), "survey": "community-needs", "format": "csv"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "the task queue is not answering" in html and "(failed)" in html
