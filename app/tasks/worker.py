"""`flask --app wsgi worker`: an RQ worker for the tasks queue (REDIS_URL must be set)."""
from __future__ import annotations

import importlib
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background tasks (tagging new texts, exports) from Redis until stopped."""
    from rq import Worker

    importlib.import_module("app.tasks.runner")  # before any fork: see runner._IMPORTED_IN
    from app.tasks.queue import redis_url, rq_queue
    if not redis_url():
        click.echo("REDIS_URL is not set: without Redis, tasks run inside the app processes and no worker is needed",
                   err=True)
        sys.exit(1)
    queue = rq_queue()
    try:
        queue.connection.ping()
    except Exception as exc:  # redis.ConnectionError and its kin
        click.echo(f"Redis at {redis_url()} does not answer: {exc}", err=True)
        sys.exit(1)
    current_app.logger.info("worker on queue %s", queue.name)
    # The scheduler moves retries that wait (TASK_RETRY_INTERVAL) back onto the queue when due.
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)
