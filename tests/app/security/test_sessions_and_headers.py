"""Issue 14, item 6: safe redirects after sign-in, sign-out that ends the session everywhere,
security headers on every page, and resident pages without inline script."""
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import User
from tests.conftest import PASSWORD, make_user
from tests.forms import form_action, hidden_fields


def post_login(client, email, next_=""):
    html = client.get("/login").get_data(as_text=True)
    return client.post(f"/login{next_}", data={**hidden_fields(html), "email": email, "password": PASSWORD})


@pytest.mark.parametrize("next_", [
    "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/%09%09/evil.example", "%09//evil.example",
    "/\\evil.example", "/%5Cevil.example", "//evil.example", "https://evil.example/", "/%7F/evil.example",
    "/%C2%85/evil.example",
])
def test_sign_in_never_redirects_off_the_site(app, client, next_):
    make_user(app, "equity_lead")
    response = post_login(client, "equity_lead@example.org", f"?next={next_}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location
    assert not re.search(r"[\x00-\x1f\\]", location)


def test_sign_in_still_returns_to_a_page_of_ours(app, client):
    make_user(app, "equity_lead")
    response = post_login(client, "equity_lead@example.org", "?next=/reports/representation%3Fsurvey%3Dall")
    assert response.headers["Location"] == "/reports/representation?survey=all"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client, auth):
    auth.login("admin")
    stolen = session_cookie(client)
    assert client.get("/admin/users").status_code == 200
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_in_again_works_after_sign_out(app, client, auth):
    auth.login("admin")
    auth.logout()
    auth.login("admin")
    assert client.get("/admin/users").status_code == 200


def test_a_new_password_ends_every_session(app, client, auth, runner):
    auth.login("admin")
    assert client.get("/admin/users").status_code == 200
    result = runner.invoke(args=["users", "create", "admin@example.org", "--role", "admin"],
                           input="a new long password\n")
    assert result.exit_code == 0, result.output
    assert client.get("/admin/users").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User.session_version).where(User.email == "admin@example.org")) == 1


@pytest.mark.parametrize("path", ["/", "/login", "/s/community-needs", "/api/v1/surveys", "/nope",
                                  "/api/v1/surveys/%00"])
def test_every_answer_carries_the_security_headers(client, surveys, path):
    response = client.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert re.search(r"script-src 'self'(;| 'nonce-)", csp) and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers


def test_hsts_when_cookies_are_secure(database_url, instance_dir):
    from tests.conftest import make_app
    app = make_app(database_url, instance_dir, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.inline.append(attrs)
        self.handlers.extend(name for name in attrs if name.startswith("on"))
        if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
            self.handlers.append("javascript: URL")


def scripts_in(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


def test_resident_pages_have_no_inline_script(client, surveys):
    pages = []
    html = client.get("/s/community-needs?lang=ar").get_data(as_text=True)
    pages.append(html)
    location = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"}).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    pages.append(page)
    saved = client.post(location, data={**hidden_fields(page), "action": "save"}).headers["Location"]
    pages.append(client.get(saved).get_data(as_text=True))
    pages += [client.get("/s/community-needs/resume").get_data(as_text=True),
              client.get("/s/community-needs/withdraw").get_data(as_text=True),
              client.get("/s/nope").get_data(as_text=True)]
    for html in pages:
        found = scripts_in(html)
        assert found.inline == [] and found.handlers == []


def test_staff_inline_scripts_carry_the_pages_nonce(client, surveys, auth):
    auth.login("equity_lead")
    response = client.get("/reports/network")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    inline = scripts_in(response.get_data(as_text=True)).inline
    assert inline and all(attrs.get("nonce") == nonce for attrs in inline)
    assert nonce not in client.get("/reports/network").headers["Content-Security-Policy"]
