"""The access matrix: every route, for every role, is allowed or refused as app/access.py says."""
import pytest
from werkzeug.routing import IntegerConverter

from app.access import PUBLIC, allowed_roles
from app.models import ROLES
from tests.conftest import make_app, make_token, make_user, PASSWORD

ANONYMOUS = "anonymous"


@pytest.fixture
def open_app(database_url, instance_dir):
    """The app with CSRF off, so refusals come from the access matrix and nothing else."""
    from app.extensions import db
    app = make_app(database_url, instance_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
    yield app
    from tests.conftest import _drop_everything
    _drop_everything(app)


def routes(app):
    """(endpoint, method, path) for every route, with placeholder values; signing out comes last."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {arg: (1 if isinstance(rule._converters[arg], IntegerConverter) else "x")
                  for arg in rule.arguments}
        path = adapter.build(rule.endpoint, values)
        found.extend((rule.endpoint, method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return sorted(found, key=lambda r: (r[0] == "auth.logout", r))


def test_every_route_is_in_the_matrix(app):
    missing = sorted({endpoint for endpoint, _m, _p in routes(app) if allowed_roles(endpoint) is None})
    assert missing == []


def client_for(app, role):
    client = app.test_client()
    if role == ANONYMOUS:
        return client, {}
    make_user(app, role)
    client.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD})
    return client, {"Authorization": f"Bearer {make_token(app, role)}"}


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_every_route_for_every_role(open_app, role):
    client, token_header = client_for(open_app, role)
    checked = 0
    for endpoint, method, path in routes(open_app):
        allowed = allowed_roles(endpoint)
        is_api = path.startswith("/api/")
        headers = token_header if is_api else {}
        response = client.open(path, method=method, headers=headers, json={} if method == "POST" and is_api else None)
        status = response.status_code
        assert status != 500, f"{method} {path} as {role}: 500"
        refused = status in (401, 403) or (status == 302 and "/login" in response.headers.get("Location", ""))
        if endpoint == "auth.logout" and role != ANONYMOUS:
            assert status == 302  # signed out, sent to the sign-in page
        elif allowed == PUBLIC or (role != ANONYMOUS and role in allowed):
            assert not refused, f"{method} {path} refused to {role}: {status}"
        else:
            assert refused, f"{method} {path} allowed to {role}: {status}"
            if role != ANONYMOUS:
                assert status == 403, f"{method} {path} as {role}: {status}"
            elif is_api:
                assert status == 401
        checked += 1
    assert checked >= 10
