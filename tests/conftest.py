"""Fixtures: an app on a fresh database per test, SQLite always and PostgreSQL when
TEST_DATABASE_URL is set; the test client, CLI runner, and the repo's surveys loaded.

Where the time went (`pytest --durations=30`) was fixtures; so a test's database is a copy of a
file prepared once per worker on SQLite (the schema, or the schema with the shipped surveys when
the test asks for `surveys`), and is emptied with DELETE on PostgreSQL (TRUNCATE of every table
took 0.4-0.9 s a test; DELETE takes 0.01-0.07 s).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.core.extensions import db

REPO = Path(__file__).resolve().parent.parent
SURVEYS_DIR = REPO / "surveys"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL database for this run, emptied once; tables are truncated after each test.

    Under pytest-xdist each worker gets a database of its own beside TEST_DATABASE_URL's,
    made here and dropped at the end, so workers never truncate each other's tables.
    """
    url = sa.make_url(os.environ["TEST_DATABASE_URL"])
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "master")  # also right with `-p no:xdist`
    if worker_id != "master":
        url = create_database(url, f"{url.database}_{worker_id}")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield url.render_as_string(hide_password=False)
    if worker_id != "master":
        drop_database(url)


def create_database(base: sa.URL, name: str) -> sa.URL:
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name)


def drop_database(url: sa.URL) -> None:
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("postgres_url")


def make_app(database_url: str, instance_dir: Path, **extra):
    return create_app({
        "TESTING": True,
        "ARGON2_CHEAP": True,  # production parameters are tested once, in tests/app/auth
        "SQLITE_SYNCHRONOUS": "OFF",  # a test's database need not survive a power cut: no fsync per commit
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_dir),
        "SURVEYS_DIR": str(SURVEYS_DIR),
        "TASKS_IN_PROCESS": "sync",  # background tasks run at once, after the request's commit
        **extra,
    })


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory, instance_dir) -> dict[str, Path]:
    """This worker's prepared SQLite files: "schema" (create_all) and "surveys" (the schema with the
    shipped surveys and demo stakeholders, as the `surveys` fixture loads them)."""
    folder = tmp_path_factory.mktemp("templates")
    templates = {}
    for name in ("schema", "surveys"):
        path = folder / f"{name}.sqlite"
        app = make_app(f"sqlite:///{path}", instance_dir)
        with app.app_context():
            db.create_all()
            if name == "surveys":
                _load_surveys()
            db.session.remove()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
            db.engine.dispose()
        templates[name] = path
    return templates


@pytest.fixture
def app(request, database_url, instance_dir):
    with_surveys = "surveys" in request.fixturenames
    if database_url.startswith("sqlite:"):
        # A copy of a prepared file: milliseconds, where create_all and loading took about 0.7 s.
        template = request.getfixturevalue("sqlite_templates")["surveys" if with_surveys else "schema"]
        shutil.copyfile(template, sa.make_url(database_url).database)
    app = make_app(database_url, instance_dir)
    with app.app_context():
        db.create_all()  # PostgreSQL's tables, made once per worker (a no-op on the copied file)
    app.surveys_loaded = with_surveys and database_url.startswith("sqlite:")
    yield app
    release_database(app)


def release_database(app) -> None:
    """After a test: PostgreSQL's tables emptied for the next one, and the app's connections closed.

    DELETE, with foreign-key triggers off for this transaction, and sequences back to 1: for
    tables of a few rows it is an order of magnitude quicker than TRUNCATE, which makes new files
    for every table.
    """
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
                conn.execute(sa.text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                                     "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                     "WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def surveys(app):
    """The shipped surveys loaded, and the demo stakeholders registered (stakeholder questions need them)."""
    if not getattr(app, "surveys_loaded", False):  # on SQLite the `app` fixture copied them in
        with app.app_context():
            _load_surveys()
    return app


def _load_surveys() -> None:
    from app.demo import _seed_stakeholders
    from app.surveys.loader import load_surveys
    load_surveys(SURVEYS_DIR)
    _seed_stakeholders()
    db.session.commit()


def _drop_everything(app) -> None:
    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


@pytest.fixture
def empty_app(database_url, instance_dir):
    """An app on an empty database (no create_all), for tests that run the real migrations."""
    app = make_app(database_url, instance_dir)
    _drop_everything(app)
    yield app
    _drop_everything(app)


PASSWORD = "correct horse battery"


def make_user(app, role: str, email: str | None = None, stakeholder_id: str | None = None):
    """An account with PASSWORD; returns its id."""
    from app.accounts.passwords import hash_password
    from app.models import User
    with app.app_context():
        user = User(email=email or f"{role}@example.org", role=role, password_hash=hash_password(PASSWORD),
                    stakeholder_id=stakeholder_id)
        db.session.add(user)
        db.session.commit()
        return user.id


def make_token(app, role: str, email: str | None = None) -> str:
    """A new API token for the account `email` (made with `role` on first use)."""
    from app.core.tokens import create_token
    from app.models import User
    email = email or f"{role}-token@example.org"
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email)) or make_user(app, role, email)
        token = create_token(db.session.get(User, user_id))
        db.session.commit()
        return token


class Auth:
    """Sign a test client in as a role (the account is made on first use), through the real form."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def login(self, role: str, email: str | None = None):
        from tests.forms import hidden_fields
        email = email or f"{role}@example.org"
        from app.models import User
        with self.app.app_context():
            exists = db.session.scalar(sa.select(User.id).where(User.email == email))
        if exists is None:
            make_user(self.app, role, email)
        html = self.client.get("/login").get_data(as_text=True)
        response = self.client.post("/login", data={**hidden_fields(html), "email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        html = self.client.get("/").get_data(as_text=True)
        return self.client.post("/logout", data={"csrf_token": _csrf_from(html)})


def _csrf_from(html: str) -> str:
    import re
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1) if match else ""


@pytest.fixture
def auth(app, client):
    return Auth(app, client)
