"""`flask users create EMAIL --role ROLE` and `flask tokens create|revoke EMAIL`."""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password
from app.core import audit
from app.core.extensions import db
from app.core.tokens import create_token, revoke_tokens
from app.models import ROLES, Stakeholder, User

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def _read_password() -> str:
    """From a prompt when a person is at the terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def _user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        click.echo(f"no account for {email}", err=True)
        sys.exit(1)
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organisation", "stakeholder_id", help="For a partner: the stakeholder id it speaks for.")
def create_user(email: str, role: str, stakeholder_id: str | None) -> None:
    """Create an account, or change an existing account's role and password (audited)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        click.echo(f"'{email}' is not an email address", err=True)
        sys.exit(1)
    if stakeholder_id and db.session.get(Stakeholder, stakeholder_id) is None:
        click.echo(f"no stakeholder with id '{stakeholder_id}'", err=True)
        sys.exit(1)
    password = _read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        click.echo(f"the password must have at least {MIN_PASSWORD_LENGTH} characters", err=True)
        sys.exit(1)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, role=role, password_hash=hash_password(password), stakeholder_id=stakeholder_id)
        db.session.add(user)
        db.session.flush()
        audit.record("user_create", f"user:{user.id}", role=role, via="cli")
        click.echo(f"created {email} ({role})")
    else:
        if user.role != role:
            audit.record("role_change", f"user:{user.id}", before=user.role, after=role, via="cli")
        user.role, user.password_hash = role, hash_password(password)
        user.end_sessions()  # a new password signs the account out everywhere
        user.stakeholder_id = stakeholder_id or user.stakeholder_id
        click.echo(f"updated {email} ({role})")
    db.session.commit()


@tokens_cli.command("create")
@click.argument("email")
def create_api_token(email: str) -> None:
    """Print a new API token for EMAIL (last line). It is shown once and stored only as a hash."""
    user = _user(email)
    token = create_token(user)
    audit.record("token_create", f"user:{user.id}", via="cli")
    db.session.commit()
    click.echo(f"token for {user.email} ({user.role}); use it as 'Authorization: Bearer <token>':")
    click.echo(token)


@tokens_cli.command("revoke")
@click.argument("email")
def revoke_api_tokens(email: str) -> None:
    """Revoke every API token of EMAIL."""
    user = _user(email)
    count = revoke_tokens(user)
    audit.record("token_revoke", f"user:{user.id}", count=count, via="cli")
    db.session.commit()
    click.echo(f"revoked {count} token(s) of {user.email}")


@tokens_cli.command("create-device")
@click.argument("name")
@click.option("--survey", "slugs", multiple=True, required=True, help="A survey the device collects for (repeatable).")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="The site's address.")
def create_device(name: str, slugs: tuple[str, ...], base_url: str) -> None:
    """Make a device token for ODK Collect or Enketo; the last line is the server URL to enter in Collect."""
    from app.models import Survey
    from app.openrosa.devices import create_device_token, server_url
    name = name.strip()
    if not name or len(name) > 100:
        click.echo("the device name must be 1 to 100 characters", err=True)
        sys.exit(1)
    missing = [slug for slug in slugs if Survey.by_slug(slug) is None]
    if missing:
        click.echo(f"no survey {', '.join(missing)} is loaded (see `surveys load`)", err=True)
        sys.exit(1)
    device, token = create_device_token(name, list(dict.fromkeys(slugs)))
    db.session.commit()
    click.echo(f"device token {device.id} '{name}' for {', '.join(device.surveys)}; shown once.")
    click.echo("In ODK Collect: Project settings → Server → Server URL (no username or password):")
    click.echo(server_url(token, base_url))


@tokens_cli.command("revoke-device")
@click.argument("device_id", type=int)
def revoke_device(device_id: int) -> None:
    """Revoke device token DEVICE_ID (its number, as create-device printed it)."""
    from app.models import DeviceToken
    from app.openrosa.devices import revoke_device_token
    device = db.session.get(DeviceToken, device_id)
    if device is None:
        click.echo(f"no device token {device_id}", err=True)
        sys.exit(1)
    revoked = revoke_device_token(device)
    db.session.commit()
    click.echo(f"revoked device token {device_id} '{device.name}'" if revoked
               else f"device token {device_id} was revoked already")


invitations_cli = AppGroup("invitations", help="Invitation links to the partner survey.")


@invitations_cli.command("create")
@click.argument("stakeholder_id")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="The site's address.")
def create_invitation_link(stakeholder_id: str, base_url: str) -> None:
    """Print a new invitation link for the organisation STAKEHOLDER_ID (last line), shown once."""
    from app.accounts.invitations import create_invitation
    if db.session.get(Stakeholder, stakeholder_id) is None:
        click.echo(f"no stakeholder with id '{stakeholder_id}'", err=True)
        sys.exit(1)
    _invitation, token = create_invitation(stakeholder_id)
    db.session.commit()
    click.echo(f"invitation for {stakeholder_id}; whoever opens it answers partner surveys for it:")
    click.echo(f"{base_url.rstrip('/')}/partner/invitation/{token}")


@invitations_cli.command("revoke")
@click.argument("stakeholder_id")
def revoke_invitation_links(stakeholder_id: str) -> None:
    """Revoke every live invitation link of the organisation STAKEHOLDER_ID."""
    from app.accounts.invitations import revoke_invitation
    from app.models import PartnerInvitation
    live = db.session.scalars(sa.select(PartnerInvitation).where(
        PartnerInvitation.stakeholder_id == stakeholder_id, PartnerInvitation.revoked_at.is_(None))).all()
    for invitation in live:
        revoke_invitation(invitation)
    db.session.commit()
    click.echo(f"revoked {len(live)} invitation link(s) of {stakeholder_id}")
