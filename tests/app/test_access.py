"""The access matrix: every route, for every role, is allowed or refused as app/core/access.py says."""
import pytest
from werkzeug.routing import IntegerConverter

from app.core.access import DEVICE, PUBLIC, allowed_roles
from app.models import ROLES
from tests.conftest import make_app, make_token, make_user, PASSWORD

ANONYMOUS = "anonymous"


@pytest.fixture
def open_app(database_url, instance_dir):
    """The app with CSRF off, so refusals come from the access matrix and nothing else."""
    from app.core.extensions import db
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
        if allowed == DEVICE:
            assert status == 401, f"{method} {path} as {role}: {status} (no account opens a device's URLs)"
        elif endpoint == "auth.logout" and role != ANONYMOUS:
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


def test_device_routes_open_to_their_device_token_only(surveys):
    """Every OpenRosa route answers a live device token (its own survey), and refuses a revoked one."""
    from app.core.extensions import db
    from app.models import DeviceToken
    from app.openrosa.devices import create_device_token, revoke_device_token
    with surveys.app_context():
        _device, token = create_device_token("Tablet", ["community-needs"])
        db.session.commit()
    client = surveys.test_client()
    device_routes = [(e, m, p) for e, m, p in routes(surveys) if allowed_roles(e) == DEVICE]
    assert {e for e, _m, _p in device_routes} == {
        "openrosa.root", "openrosa.form_list", "openrosa.form_download", "openrosa.submission_probe",
        "openrosa.submission"}
    for revoked in (False, True):
        for endpoint, method, path in device_routes:
            path = path.replace("/key/x/", f"/key/{token}/").replace("/forms/x.xml", "/forms/community-needs.xml")
            status = client.open(path, method=method).status_code
            if revoked:
                assert status == 401, f"{method} {path}: {status}"
            else:
                assert status not in (401, 403, 500), f"{method} {path}: {status}"
        with surveys.app_context():
            revoke_device_token(db.session.scalar(db.select(DeviceToken)))
            db.session.commit()
