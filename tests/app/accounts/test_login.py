"""Signing in: argon2 passwords, failure limits, safe redirects, cookies, audit."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, User
from tests.conftest import PASSWORD, make_user
from tests.forms import hidden_fields


def post_login(client, email, password, next_=""):
    html = client.get("/login").get_data(as_text=True)
    return client.post(f"/login{next_}", data={**hidden_fields(html), "email": email, "password": password})


def test_password_is_stored_as_argon2id(app):
    user_id = make_user(app, "admin")
    with app.app_context():
        stored = db.session.get(User, user_id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_production_apps_hash_with_rfc_9106_parameters(app):
    """Tests hash cheaply to save time; every other app uses the RFC 9106 low-memory profile."""
    from argon2 import extract_parameters, profiles

    from app.accounts.passwords import hash_password, verify_password
    with app.app_context():
        assert extract_parameters(hash_password(PASSWORD)) == profiles.CHEAPEST
        app.config["ARGON2_CHEAP"] = False
        production = hash_password(PASSWORD)
        assert extract_parameters(production) == profiles.RFC_9106_LOW_MEMORY
        app.config["ARGON2_CHEAP"] = True
        assert verify_password(production, PASSWORD) and not verify_password(production, "wrong")


def test_login_and_audit(app, client):
    make_user(app, "equity_lead")
    response = post_login(client, "Equity_Lead@Example.org ", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/reports/"  # the role's start page
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/reports/").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "login"


def test_wrong_password(app, client):
    make_user(app, "admin")
    response = post_login(client, "admin@example.org", "wrong password!")
    assert response.status_code == 401 and "do not match an account" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_unknown_email_gets_the_same_answer(app, client):
    response = post_login(client, "nobody@example.org", PASSWORD)
    assert response.status_code == 401 and "do not match an account" in response.get_data(as_text=True)


def test_failures_are_limited_even_for_the_right_password(app, client):
    make_user(app, "admin")
    for _ in range(5):
        assert post_login(client, "admin@example.org", "guess guess guess").status_code == 401
    response = post_login(client, "admin@example.org", PASSWORD)
    assert response.status_code == 429 and "Too many failed attempts" in response.get_data(as_text=True)


def test_next_is_followed_only_on_this_site(app, client):
    make_user(app, "admin")
    assert post_login(client, "admin@example.org", PASSWORD, "?next=/admin/").headers["Location"] == "/admin/"
    client.post("/logout", data={"csrf_token": hidden_fields(client.get("/login").get_data(as_text=True))["csrf_token"]})
    assert post_login(client, "admin@example.org", PASSWORD, "?next=//evil.example").headers["Location"] == "/admin/"  # its start page


def test_deactivated_account_cannot_sign_in(app, client):
    user_id = make_user(app, "facilitator")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert post_login(client, "facilitator@example.org", PASSWORD).status_code == 401


def test_pages_redirect_to_sign_in_and_back(client, app):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/login?next=/reports/" in response.headers["Location"]


def test_logout_needs_csrf(app, client, auth):
    auth.login("admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200
