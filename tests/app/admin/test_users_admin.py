"""Accounts: list, create, change role and deactivate (audited with before and after), link a partner."""
import pytest
import sqlalchemy as sa

from app.accounts.passwords import MIN_PASSWORD_LENGTH, verify_password
from app.core.extensions import db
from app.models import AuditEvent, Stakeholder, User
from tests.app.admin.pages import submit
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def admin(auth, client):
    auth.login("admin")
    return client


def account(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def events(app, action):
    with app.app_context():
        return [(e.target, e.details) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def register(app, stakeholder_id="rfb", name="Riverton Food Bank"):
    with app.app_context():
        db.session.add(Stakeholder(id=stakeholder_id, name=name, sector="nonprofit"))
        db.session.commit()


def test_list_shows_email_role_organisation_active_created(admin, app):
    register(app)
    make_user(app, "partner", "p@rfb.org", stakeholder_id="rfb")
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "p@rfb.org" in html and "Partner organisation" in html and "Riverton Food Bank" in html
    assert "admin@example.org" in html and "Admin (backbone team)" in html
    assert '<time datetime="' in html


def test_create_an_account(admin, app):
    register(app)
    response = submit(admin, "/admin/users/new", {"email": " New@Example.org ", "role": "partner",
                                                 "password": PASSWORD, "organisation": "rfb"})
    assert response.status_code == 302
    user = account(app, "new@example.org")
    assert (user.role, user.stakeholder_id, user.active) == ("partner", "rfb", True)
    assert verify_password(user.password_hash, PASSWORD)
    assert events(app, "user_create") == [(f"user:{user.id}", {"role": "partner", "organisation": "rfb"})]


@pytest.mark.parametrize("change, field, message", [
    ({"password": "x" * (MIN_PASSWORD_LENGTH - 1)}, "password",
     f"The password needs at least {MIN_PASSWORD_LENGTH} characters."),
    ({"email": "not-an-email"}, "email", "Enter an email address, like name@example.org."),
    ({"email": "admin@example.org"}, "email", "There is an account for admin@example.org already."),
    ({"role": "overlord"}, "role", "Choose one of the roles."),
    ({"organisation": "nope"}, "organisation", "Choose an organisation from the registry."),
])
def test_create_errors_by_the_field(admin, app, change, field, message):
    data = {"email": "new@example.org", "role": "facilitator", "password": PASSWORD, "organisation": "", **change}
    response = submit(admin, "/admin/users/new", data)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}</p>' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1  # the admin only


def test_password_hint_names_the_minimum(admin):
    html = admin.get("/admin/users/new").get_data(as_text=True)
    assert f"At least {MIN_PASSWORD_LENGTH} characters." in html and f'minlength="{MIN_PASSWORD_LENGTH}"' in html


def test_role_change_is_audited_with_before_and_after(admin, app):
    user_id = make_user(app, "facilitator", "f@example.org")
    response = submit(admin, f"/admin/users/{user_id}", {"role": "equity_lead", "active": "y", "organisation": ""})
    assert response.status_code == 302
    assert account(app, "f@example.org").role == "equity_lead"
    assert events(app, "role_change") == [(f"user:{user_id}", {"before": "facilitator", "after": "equity_lead",
                                                               "email": "f@example.org"})]


def test_deactivate_is_audited_and_stops_sign_in(admin, app, client):
    user_id = make_user(app, "facilitator", "f@example.org")
    submit(admin, f"/admin/users/{user_id}", {"role": "facilitator", "organisation": ""})  # box unticked
    assert account(app, "f@example.org").active is False
    assert events(app, "deactivate") == [(f"user:{user_id}", {"before": True, "after": False, "email": "f@example.org"})]
    assert events(app, "role_change") == []
    other = app.test_client()
    html = other.get("/login").get_data(as_text=True)
    from tests.forms import hidden_fields
    response = other.post("/login", data={**hidden_fields(html), "email": "f@example.org", "password": PASSWORD})
    assert response.status_code == 401


def test_link_a_partner_to_a_stakeholder(admin, app):
    register(app)
    user_id = make_user(app, "partner", "p@example.org")
    submit(admin, f"/admin/users/{user_id}", {"role": "partner", "active": "y", "organisation": "rfb"})
    assert account(app, "p@example.org").stakeholder_id == "rfb"
    assert events(app, "organisation_link")[0][1] == {"before": None, "after": "rfb", "email": "p@example.org"}


def test_admin_cannot_remove_their_own_admin_role(admin, app):
    me = account(app, "admin@example.org")
    response = submit(admin, f"/admin/users/{me.id}", {"role": "equity_lead", "active": "y", "organisation": ""})
    assert response.status_code == 422
    assert "You cannot remove your own admin role: another admin has to do it" in response.get_data(as_text=True)
    assert account(app, "admin@example.org").role == "admin"
    assert events(app, "role_change") == []


def test_admin_cannot_deactivate_themselves(admin, app):
    me = account(app, "admin@example.org")
    response = submit(admin, f"/admin/users/{me.id}", {"role": "admin", "organisation": ""})
    assert response.status_code == 422
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert account(app, "admin@example.org").active is True


def test_another_admin_can_be_demoted(admin, app):
    other = make_user(app, "admin", "other-admin@example.org")
    submit(admin, f"/admin/users/{other}", {"role": "facilitator", "active": "y", "organisation": ""})
    assert account(app, "other-admin@example.org").role == "facilitator"


def test_unknown_account_is_404(admin):
    assert admin.get("/admin/users/999").status_code == 404
