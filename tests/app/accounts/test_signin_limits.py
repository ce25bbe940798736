"""Sign-in limits per account and per client address, in a store shared by every process:
the database (SQLite, PostgreSQL) or Redis; concurrent guesses get no more checks than the limit."""
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from app.accounts import passwords
from app.accounts.signin_limits import DEVICE_COOKIE
from app.core.extensions import db
from tests.conftest import PASSWORD, make_app, make_user
from tests.forms import hidden_fields

REDIS_URL = "redis://127.0.0.1:6379/11"


def post_login(client, email, password, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    html = client.get("/login", headers=headers).get_data(as_text=True)
    return client.post("/login", data={**hidden_fields(html), "email": email, "password": password},
                       headers=headers)


def _redis_available() -> bool:
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(params=["database", "redis"])
def store(request):
    """Extra settings for the counters' store; with Redis, a key prefix of this test's own, flushed."""
    if request.param == "database":
        yield {}
        return
    if not _redis_available():
        pytest.skip("no Redis at 127.0.0.1:6379")
    import redis
    prefix = f"cg-test-{uuid.uuid4().hex[:8]}"
    yield {"REDIS_URL": REDIS_URL, "COUNTER_KEY_PREFIX": prefix}
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


@pytest.fixture
def limited(database_url, instance_dir, store):
    """Two app processes' worth of apps on one database and one store, behind one trusted proxy."""
    apps = [make_app(database_url, instance_dir, TRUSTED_PROXIES=1, SIGNIN_ADDRESS_LIMIT="8 per 15 minutes",
                     **store) for _ in range(2)]
    with apps[0].app_context():
        db.create_all()
    make_user(apps[0], "admin")
    yield apps
    with apps[0].app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_guesses_from_one_address_do_not_lock_out_other_addresses(limited):
    app, other = limited
    attacker = app.test_client()
    for i in range(8):
        assert post_login(attacker, f"guess{i}@example.org", "wrong", "203.0.113.9").status_code == 401
    refused = post_login(attacker, "admin@example.org", PASSWORD, "203.0.113.9")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert "Too many failed attempts" in refused.get_data(as_text=True)
    # The admin, at their own address, through the other process: signed in.
    assert post_login(other.test_client(), "admin@example.org", PASSWORD, "198.51.100.7").status_code == 302


def test_a_locked_account_still_opens_from_a_browser_that_signed_in_before(limited):
    app, other = limited
    earlier = app.test_client()
    assert post_login(earlier, "admin@example.org", PASSWORD, "198.51.100.7").status_code == 302
    device = earlier.get_cookie(DEVICE_COOKIE, path="/login")
    assert device is not None and device.http_only
    owner = app.test_client()  # the same browser on another day: no session, the device cookie kept
    owner.set_cookie(DEVICE_COOKIE, device.value, path="/login")
    attacker = other.test_client()
    for i in range(5):
        assert post_login(attacker, "admin@example.org", f"guess {i}", f"203.0.113.{i}").status_code == 401
    # Locked for everyone without the cookie, even with the right password, in either process...
    assert post_login(attacker, "admin@example.org", PASSWORD, "203.0.113.50").status_code == 429
    assert post_login(app.test_client(), "admin@example.org", PASSWORD, "198.51.100.8").status_code == 429
    # ...but the owner's browser, known from its earlier sign-in, gets in.
    assert post_login(owner, "admin@example.org", PASSWORD, "198.51.100.7").status_code == 302


def test_the_forwarded_address_is_ignored_without_a_trusted_proxy(database_url, instance_dir):
    app = make_app(database_url, instance_dir, SIGNIN_ADDRESS_LIMIT="3 per 15 minutes")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    for i in range(3):
        assert post_login(client, f"x{i}@example.org", "wrong", f"192.0.2.{i}").status_code == 401
    # Writing another X-Forwarded-For does not make a new client.
    assert post_login(client, "y@example.org", "wrong", "192.0.2.99").status_code == 429
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_concurrent_guesses_get_no_more_checks_than_the_limit(limited, monkeypatch):
    app, other = limited
    checks = []
    real_verify = passwords.verify_password

    def counting(stored, password):
        checks.append(password)
        return real_verify(stored, password)
    monkeypatch.setattr("app.accounts.views.verify_password", counting)
    barrier = threading.Barrier(40)
    statuses = []

    def guess(n):
        client = (app if n % 2 else other).test_client()
        html = client.get("/login").get_data(as_text=True)
        data = {**hidden_fields(html), "email": "admin@example.org", "password": f"guess {n}"}
        barrier.wait()
        statuses.append(client.post("/login", data=data, headers={"X-Forwarded-For": f"10.0.{n}.1"}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) == 5
    assert sorted(statuses) == [401] * 5 + [429] * 35


def test_a_redis_that_is_away_gives_a_quick_503_at_sign_in(database_url, instance_dir):
    from tests.app.netfaults import black_hole
    hole = black_hole()
    app = make_app(database_url, instance_dir, REDIS_URL=f"redis://127.0.0.1:{hole.getsockname()[1]}/0",
                   DATABASE_CONNECT_TIMEOUT=1)
    with app.app_context():
        db.create_all()
    try:
        started = time.monotonic()
        response = post_login(app.test_client(), "admin@example.org", PASSWORD)
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert time.monotonic() - started < 4
    finally:
        hole.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
