"""`users create` (password from standard input) and `tokens create|revoke`."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import ApiToken, AuditEvent, User


def test_users_create_and_role_change(runner, app):
    result = runner.invoke(args=["users", "create", "Lead@Example.org", "--role", "equity_lead"],
                           input="a long enough password\n")
    assert result.exit_code == 0 and "created lead@example.org (equity_lead)" in result.output
    result = runner.invoke(args=["users", "create", "lead@example.org", "--role", "admin"],
                           input="another long password\n")
    assert result.exit_code == 0 and "updated" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(User.role)) == "admin"
        change = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role_change"))
        assert change.details == {"before": "equity_lead", "after": "admin", "via": "cli"}


def test_users_create_rejects_bad_input(runner, app):
    assert runner.invoke(args=["users", "create", "x@example.org", "--role", "king"], input="long password 1\n").exit_code == 2
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "admin"], input="short\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output
    result = runner.invoke(args=["users", "create", "not-an-email", "--role", "admin"], input="long password 1\n")
    assert result.exit_code == 1 and "is not an email address" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_token_create_prints_token_last_and_it_works(runner, app, client, surveys):
    runner.invoke(args=["users", "create", "lead@example.org", "--role", "equity_lead"], input="long password 12\n")
    result = runner.invoke(args=["tokens", "create", "lead@example.org"])
    token = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0 and token.startswith("cg_")
    with app.app_context():
        stored = db.session.scalar(sa.select(ApiToken))
        assert stored.token_hash != token and token not in stored.token_hash
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/focus-groups", json={}, headers=headers).status_code == 403
    assert runner.invoke(args=["tokens", "revoke", "lead@example.org"]).output.startswith("revoked 1 token")
    assert client.post("/api/v1/focus-groups", json={}, headers=headers).status_code == 401


def test_token_for_unknown_account(runner):
    result = runner.invoke(args=["tokens", "create", "ghost@example.org"])
    assert result.exit_code == 1 and "no account for ghost@example.org" in result.output
