"""Two app processes (real gunicorn servers on two loopback ports) on one PostgreSQL and one
Redis, with one SECRET_KEY and each its own instance folder: nothing that matters lives in a
process. Through both, a survey loaded at the shell is served at once, a sign-in lockout made on
one holds on the other, and a resident moves between them mid-survey, stored once.

Needs TEST_DATABASE_URL (a database is made beside it and dropped) and Redis at TEST_REDIS_URL
(default redis://127.0.0.1:6379/13); skipped without them.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, REPO, SURVEYS_DIR, create_database, drop_database
from tests.forms import form_action, hidden_fields

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SLUG = "community-needs"
ADMIN = "admin@example.org"
#: Seconds a server may take to answer /readyz after it starts.
START_TIMEOUT = 40


def _redis_answers() -> bool:
    try:
        import redis
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                       reason="the two-process test needs PostgreSQL: set TEST_DATABASE_URL"),
    pytest.mark.skipif(not _redis_answers(), reason=f"the two-process test needs Redis at {REDIS_URL} "
                       "(set TEST_REDIS_URL to use another)"),
]


class Browser:
    """One person's browser: one cookie jar for both servers (as behind a load balancer, cookies
    belong to the host, not the port), redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  self._NoRedirect)

    def open(self, base: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(base + path, data=body, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx not followed, 4xx, 5xx
            return error.code, dict(error.headers), error.read().decode()

    def get(self, base: str, path: str):
        return self.open(base, path)

    def post(self, base: str, path: str, data: dict):
        return self.open(base, path, data)


def location(headers: dict) -> str:
    """A redirect's path and query, whether the Location is relative or absolute."""
    parts = urlsplit(headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Cluster:
    a: str
    b: str
    database_url: str
    env: dict
    surveys_dir: Path
    prefix: str

    def flask(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """A `flask --app wsgi …` command against the shared database, as an admin at the shell."""
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=REPO, env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"flask {' '.join(args)}: {done.stderr}"
        return done

    def scalar(self, statement):
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(statement).scalar()
        finally:
            engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(env: dict, instance: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    instance.mkdir(parents=True)
    import gunicorn.config
    # gunicorn 25+ opens a control socket at one path per user: two servers must not share it.
    own_socket = ["--no-control-socket"] if hasattr(gunicorn.config, "ControlSocketDisable") else []
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
             "--graceful-timeout", "2", *own_socket, "wsgi:app"],
            cwd=REPO, env={**env, "INSTANCE_PATH": str(instance)}, stdout=output, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def _wait_until_ready(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server at {base} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server at {base} was not ready in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-processes")
    base = sa.make_url(os.environ["TEST_DATABASE_URL"])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = create_database(base, f"{base.database}_two_{worker}")
    database_url = url.render_as_string(hide_password=False)
    surveys_dir = tmp / "surveys"
    surveys_dir.mkdir()
    shutil.copy(SURVEYS_DIR / f"{SLUG}.yaml", surveys_dir)
    prefix = f"cg-two-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "INSTANCE_PATH", "SECRET_KEY", "TRUSTED_PROXIES")}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, SECRET_KEY=f"shared-{uuid.uuid4().hex}",
               SURVEYS_DIR=str(surveys_dir), COUNTER_KEY_PREFIX=prefix, INSTANCE_PATH=str(tmp / "shell"),
               SIGNIN_ACCOUNT_LIMIT="3 per 15 minutes", FLASK_DEBUG="0")
    cluster = Cluster("", "", database_url, env, surveys_dir, prefix)
    processes = []
    try:
        # The servers start on an empty database: they are ready (/readyz) once `setup` has migrated it.
        servers = [_start_server(env, tmp / f"instance-{name}", tmp / f"{name}.log") for name in "ab"]
        processes = [process for process, _base in servers]
        cluster.flask("setup")
        cluster.flask("users", "create", ADMIN, "--role", "admin", stdin=PASSWORD + "\n")
        for (process, base_url), name in zip(servers, "ab"):
            _wait_until_ready(process, base_url, tmp / f"{name}.log")
        cluster.a, cluster.b = servers[0][1], servers[1][1]
        yield cluster
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_database(url)
        import redis
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)


def _survey_seen_by(base: str) -> tuple[int, str, str]:
    """The version and title from the API, and the resident page's HTML, as one server serves them."""
    status, _headers, body = Browser().get(base, f"/api/v1/surveys/{SLUG}")
    assert status == 200
    data = json.loads(body)
    status, _headers, page = Browser().get(base, f"/s/{SLUG}")
    assert status == 200
    return data["version"], data["title"], page


def test_a_survey_loaded_at_the_shell_is_served_by_both_at_once(cluster):
    for base in (cluster.a, cluster.b):  # both have read (and kept in memory) version 1
        version, title, page = _survey_seen_by(base)
        assert (version, title) == (1, "Community needs survey") and "Community needs survey" in page

    path = cluster.surveys_dir / f"{SLUG}.yaml"
    path.write_text(path.read_text().replace("title: Community needs survey",
                                             "title: Community needs survey, autumn round", 1))
    assert "version 2 (new" in cluster.flask("surveys", "load").stdout

    for base in (cluster.b, cluster.a):  # no wait, no restart: the latest version comes from the database
        version, title, page = _survey_seen_by(base)
        assert (version, title) == (2, "Community needs survey, autumn round")
        assert "Community needs survey, autumn round" in page


def _sign_in(browser: Browser, base: str, password: str, form_from: str | None = None):
    _status, _headers, html = browser.get(form_from or base, "/login")
    return browser.post(base, "/login", {**hidden_fields(html), "email": ADMIN, "password": password})


def test_a_lockout_on_one_holds_on_the_other(cluster):
    status, headers, _body = _sign_in(Browser(), cluster.b, PASSWORD)
    assert status == 302 and location(headers).startswith("/admin")  # the account works through B

    guesser = Browser()
    for _attempt in range(3):  # SIGNIN_ACCOUNT_LIMIT: 3 per 15 minutes
        status, _headers, body = _sign_in(guesser, cluster.a, "wrong guess")
        assert status == 401 and "do not match an account" in body

    # The owner, from another browser, through the other server: refused while the lock holds.
    status, _headers, body = _sign_in(Browser(), cluster.b, PASSWORD, form_from=cluster.a)
    assert status == 429 and "Too many failed attempts" in body
    status, _headers, _body = _sign_in(Browser(), cluster.a, PASSWORD)
    assert status == 429

    # The count is in Redis, under this deployment's prefix; the database's counter table is unused.
    import redis
    keys = [key.decode() for key in redis.Redis.from_url(REDIS_URL).scan_iter(f"*{cluster.prefix}*account*")]
    from app.accounts.signin_limits import account_digest
    assert any(account_digest(ADMIN) in key for key in keys), keys  # the account, by its digest
    assert cluster.scalar(sa.text("SELECT count(*) FROM rate_counters")) == 0


def _page(browser: Browser, get_from: str, post_to: str, path: str, answers: dict) -> str:
    """Draw a page on one server and send it to another; the path of the page that follows."""
    status, _headers, html = browser.get(get_from, path)
    assert status == 200, html[-500:]
    status, headers, body = browser.post(post_to, form_action(html), {**hidden_fields(html), **answers,
                                                                        "action": "next"})
    assert status == 302, body[-1500:]
    return location(headers)


def test_a_resident_moves_between_them_mid_survey(cluster):
    from app.models import Answer, Response
    resident = Browser()
    status, _headers, html = resident.get(cluster.a, f"/s/{SLUG}")
    assert status == 200
    sid = hidden_fields(html)["submission_id"]
    status, headers, _body = resident.post(cluster.b, form_action(html), {**hidden_fields(html), "consent": "yes"})
    assert status == 302
    path = _page(resident, cluster.a, cluster.a, location(headers),
                 {"priorities__1": "transport", "priorities__2": "housing", "biggest_change": "Buses after 10pm"})
    path = _page(resident, cluster.b, cluster.b, path, {"services_used": ["library", "clinic"],
                                                        "bus_often": "disagree", "safety_rating": "4"})
    path = _page(resident, cluster.a, cluster.b, path, {"years_here": "3", "recommend": "yes"})
    status, _headers, last = resident.get(cluster.b, path)
    assert "household_size" in last  # the last page, drawn by B, is sent to A
    final = {**hidden_fields(last), "age_band": "25_44", "household_size": "3", "action": "next"}
    status, headers, _body = resident.post(cluster.a, form_action(last), final)
    assert status == 302 and location(headers).startswith(f"/s/{SLUG}/done/{sid}")
    assert "Thank you" in resident.get(cluster.b, location(headers))[2]

    status, headers, _body = resident.post(cluster.b, form_action(last), final)  # the same page sent again, to B
    assert status == 302 and f"/done/{sid}" in location(headers)

    responses, answers = Response.__table__, Answer.__table__
    assert cluster.scalar(sa.select(sa.func.count()).select_from(responses)
                          .where(responses.c.submission_id == sid)) == 1
    response_id = cluster.scalar(sa.select(responses.c.id).where(responses.c.submission_id == sid))

    def stored(key, column):
        return cluster.scalar(sa.select(answers.c[column]).where(
            answers.c.response_id == response_id, answers.c.question_key == key, answers.c.position == 0))

    # Page 1 went to A, pages 2 and 3 to B, the last page to A: all in the one stored response.
    assert stored("priorities", "choice") == "transport"
    assert stored("bus_often", "choice") == "disagree"
    assert stored("years_here", "number") == 3
    assert stored("household_size", "number") == 3
