"""Tasks on Redis: enqueued by the app, run by a real RQ worker in burst mode (SimpleWorker, in
this process) against 127.0.0.1:6379 db 12; retried with RQ's Retry up to the limit; a job
delivered twice changes nothing; `flask worker --burst` runs what waits."""
import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import TaggedText, TaskRun
from tests.conftest import REPO
from tests.app.tasks.helpers import fetch_file, start_export, submit, synchronous_export, task_id_of, task_row

#: Redis database 12 is this module's own (the sign-in limit tests use 11).
REDIS_URL = "redis://127.0.0.1:6379/12"


def _redis():
    try:
        import redis
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
        return connection
    except Exception:  # not installed, not running, refused
        return None


@pytest.fixture(scope="module")
def redis_db():
    connection = _redis()
    if connection is None:
        pytest.skip("no Redis at 127.0.0.1:6379 (start redis-server to run the task queue tests)")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def rq_app(tasks_app, redis_db):
    """The tasks app sending tasks to Redis, on a queue of this test's own, retrying at once."""
    tasks_app.config.update(TASKS_REDIS_URL=REDIS_URL, TASK_QUEUE=f"test-{uuid.uuid4().hex[:8]}",
                            TASK_RETRY_INTERVAL=0, TASK_RETRIES=2)
    return tasks_app


def work(app) -> int:
    """Run every job waiting on the app's queue with a burst-mode SimpleWorker; jobs left after."""
    from rq import SimpleWorker

    from app.tasks.queue import rq_queue

    class BurstWorker(SimpleWorker):
        def subscribe(self):
            """No command channel: closing its listening thread can wait out its 60 s poll."""

    with app.app_context():
        queue = rq_queue()
        BurstWorker([queue], connection=queue.connection).work(burst=True)
        left = queue.count
        queue.connection.close()
    return left


def test_a_submission_enqueues_tagging_that_a_worker_runs(rq_app, client):
    submit(client, "The rent is too high.")
    with rq_app.app_context():
        run = db.session.scalar(sa.select(TaskRun).where(TaskRun.kind == "tag_texts"))
        assert run.status == "queued" and db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) == 0
        task_id = run.id
    assert work(rq_app) == 0
    row = task_row(rq_app, task_id)
    assert (row["status"], row["attempts"], row["progress"], row["total"]) == ("done", 1, 1, 1)
    with rq_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) == 1


def test_the_export_runs_on_a_worker_and_matches_the_synchronous_export(rq_app, client, auth):
    submit(client, "Buses, trains; \"and\" parks.")
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Waiting to start" in page and 'http-equiv="refresh"' in page
    assert client.get(f"/tasks/{task_id}/status").get_json()["download"] is None
    work(rq_app)
    status = client.get(f"/tasks/{task_id}/status").get_json()
    assert status["status"] == "done" and status["download"]
    assert fetch_file(client, status["download"])[1] == synchronous_export(rq_app)


def test_rq_retries_a_failing_task_up_to_the_limit(rq_app, client, auth, monkeypatch):
    from rq.job import Job

    from app.tasks import jobs
    from app.tasks.queue import rq_queue
    calls = []

    def broken(params, progress):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setitem(jobs.JOBS, "export_responses", broken)
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    work(rq_app)
    row = task_row(rq_app, task_id)
    assert len(calls) == 3 and (row["status"], row["attempts"], row["error"]) == ("failed", 3, "OSError: disk full")
    with rq_app.app_context():
        connection = rq_queue().connection
        assert Job.fetch(task_id, connection=connection).get_status() == "failed"
        connection.close()


def test_a_task_delivered_twice_changes_nothing(rq_app, client, auth):
    from app.reporting.export_files import export_file_name, exports_dir
    from app.tasks.queue import enqueue_rq
    submit(client, "More parks.")
    work(rq_app)  # the tagging
    auth.login("admin")
    task_id = task_id_of(start_export(client))
    work(rq_app)
    before = task_row(rq_app, task_id)
    with rq_app.app_context():
        path = exports_dir() / export_file_name(before["params"])
        written = (path.read_bytes(), path.stat().st_mtime_ns)
        tags = db.session.execute(sa.select(TaggedText.id, TaggedText.tagged_at)).all()
        for run_id in db.session.scalars(sa.select(TaskRun.id)):
            enqueue_rq(run_id)  # as RQ would after a lost acknowledgement
    assert work(rq_app) == 0
    assert task_row(rq_app, task_id) == before
    with rq_app.app_context():
        assert (path.read_bytes(), path.stat().st_mtime_ns) == written
        assert db.session.execute(sa.select(TaggedText.id, TaggedText.tagged_at)).all() == tags


def test_flask_worker_burst_runs_what_waits(rq_app, client):
    """The real command in a process of its own (RQ forks a work horse per job, as in production)."""
    submit(client, "The bus is late.")
    env = {**os.environ, "DATABASE_URL": rq_app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": REDIS_URL,
           "TASK_QUEUE": rq_app.config["TASK_QUEUE"], "INSTANCE_PATH": rq_app.instance_path}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Job OK" in done.stdout + done.stderr
    with rq_app.app_context():
        assert db.session.scalar(sa.select(TaskRun.status).where(TaskRun.kind == "tag_texts")) == "done"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) == 1


def test_flask_worker_needs_redis(tasks_app, runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output
