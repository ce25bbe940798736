"""/healthz and /readyz: 200 or 503 JSON from what the database, its schema and Redis answer."""
import time

import pytest
from flask_migrate import upgrade

from tests.app.netfaults import closed_port
from tests.conftest import _drop_everything, make_app

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_available() -> bool:
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def _migrate(app, revision="head"):
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision=revision)


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # a probe every few seconds must not make sessions
    assert client.head("/healthz").status_code == 200


def test_readyz_waits_for_the_migrations(empty_app):
    client = empty_app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "ok", "migrations": "not_migrated"}}
    assert client.get("/healthz").status_code == 200  # alive, only not ready: no restart

    _migrate(empty_app, "0009")  # an upgrade half done: the database is a revision behind the code
    assert client.get("/readyz").get_json()["checks"]["migrations"] == "behind"

    _migrate(empty_app)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}

    with empty_app.app_context():  # upgraded by a newer release (this process is the old one)
        from app.core.extensions import db
        with db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["migrations"] == "ahead"


def test_both_answer_503_quickly_when_the_database_refuses(instance_dir):
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/nowhere", instance_dir,
                   DATABASE_CONNECT_TIMEOUT=2)
    client = app.test_client()
    started = time.monotonic()
    healthz, readyz = client.get("/healthz"), client.get("/readyz")
    assert time.monotonic() - started < 5
    assert healthz.status_code == readyz.status_code == 503
    assert healthz.get_json() == {"status": "unavailable", "checks": {"database": "unreachable"}}
    assert readyz.get_json() == {"status": "unavailable", "checks": {"database": "unreachable", "migrations": "unknown"}}
    assert "127.0.0.1" not in readyz.get_data(as_text=True)  # the error's own text stays in the log


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'health.sqlite'}"


def test_readyz_checks_redis_when_one_is_configured(sqlite_url, instance_dir):
    app = make_app(sqlite_url, instance_dir, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0",
                   DATABASE_CONNECT_TIMEOUT=1)
    _migrate(app)
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "unreachable"}
        assert app.test_client().get("/healthz").status_code == 200  # Redis is not the process's health

        if not _redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}: the reachable case is not checked")
        reachable = make_app(sqlite_url, instance_dir, REDIS_URL=REDIS_URL)
        response = reachable.test_client().get("/readyz")
        assert response.status_code == 200
        assert response.get_json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}
    finally:
        _drop_everything(app)
