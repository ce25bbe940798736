"""Admin pages for accounts: list, create, change role, deactivate, link a partner to its
organisation. Every change is audited with its before and after. URLs are in app/admin/views.py."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice

from app.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password
from app.core import audit
from app.core.extensions import db
from app.models import ROLES, Stakeholder, User

#: How each role reads on the admin pages.
ROLE_LABELS = {
    "admin": _l("Admin (backbone team)"), "equity_lead": _l("Equity lead"),
    "facilitator": _l("Facilitator"), "partner": _l("Partner organisation"),
}
#: Longest email address (RFC 5321), as the column allows.
MAX_EMAIL_LENGTH = 254


class AccountForm(FlaskForm):
    role = SelectField(_l("Role"), validate_choice=False,
                       choices=[SelectChoice(v, label) for v, label in ROLE_LABELS.items()])
    organisation = SelectField(_l("Organisation"), validate_choice=False, description=_l(
        "For a partner account: the organisation in the registry it speaks for."))


class NewAccountForm(AccountForm):
    email = EmailField(_l("Email"))
    password = PasswordField(_l("Password"), description=_l(
        "At least %(min)d characters. A few unrelated words make a strong one.", min=MIN_PASSWORD_LENGTH))


class EditAccountForm(AccountForm):
    active = BooleanField(_l("Active (can sign in and use API tokens)"))


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(sa.select(Stakeholder)
                                       .order_by(sa.func.lower(Stakeholder.name), Stakeholder.id))
    return [SelectChoice("", _("None"))] + [SelectChoice(s.id, f"{s.name} ({s.id})") for s in organisations]


def _check_common(form: AccountForm) -> tuple[str | None, str | None]:
    """The role and the organisation id ("" → None), with errors put on the fields."""
    role = form.role.data
    if role not in ROLES:
        form.role.errors = [_("Choose one of the roles.")]
        role = None
    organisation = (form.organisation.data or "").strip() or None
    if organisation is not None and db.session.get(Stakeholder, organisation) is None:
        form.organisation.errors = [_("Choose an organisation from the registry.")]
    return role, organisation


def users():
    rows = db.session.execute(sa.select(User, Stakeholder.name)
                              .outerjoin(Stakeholder, Stakeholder.id == User.stakeholder_id)
                              .order_by(User.email)).all()
    return render_template("admin/users.html", rows=rows, roles=ROLE_LABELS)


def user_new():
    form = NewAccountForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        role, organisation = _check_common(form)
        email = (form.email.data or "").strip().lower()
        if "@" not in email or len(email) > MAX_EMAIL_LENGTH or any(c.isspace() for c in email):
            form.email.errors = [_("Enter an email address, like name@example.org.")]
        elif db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            form.email.errors = [_("There is an account for %(email)s already.", email=email)]
        if len(form.password.data or "") < MIN_PASSWORD_LENGTH:
            form.password.errors = [_("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)]
        if not any(field.errors for field in form):
            try:
                user = User(email=email, role=role, password_hash=hash_password(form.password.data),
                            stakeholder_id=organisation)
                db.session.add(user)
                db.session.flush()
                audit.record("user_create", f"user:{user.id}", role=role, organisation=organisation)
                db.session.commit()
            except IntegrityError:  # the same email registered a moment ago by someone else
                db.session.rollback()
                form.email.errors = [_("There is an account for %(email)s already.", email=email)]
            else:
                flash(_("The account for %(email)s was created.", email=email))
                return redirect(url_for(".users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_new.html", form=form, min_password_length=MIN_PASSWORD_LENGTH), status


def change_account(user: User, role: str, active: bool, organisation: str | None) -> list[str]:
    """Apply the changes, each audited with before and after; returns the actions recorded. Flushes only."""
    changes = []
    if role != user.role:
        changes.append(("role_change", user.role, role))
        user.role = role
    if active != user.active:
        changes.append(("deactivate" if not active else "reactivate", user.active, active))
        user.active = active
    if organisation != user.stakeholder_id:
        changes.append(("organisation_link", user.stakeholder_id, organisation))
        user.stakeholder_id = organisation
    for action, before, after in changes:
        audit.record(action, f"user:{user.id}", before=before, after=after, email=user.email)
    db.session.flush()
    return [action for action, _before, _after in changes]


def user_edit(user_id: int):
    """Change an account's role, active flag or organisation. An admin cannot demote or
    deactivate their own account: another admin must, so the team is never locked out."""
    user = db.get_or_404(User, user_id)
    form = EditAccountForm(data={"role": user.role, "active": user.active, "organisation": user.stakeholder_id or ""}
                           if request.method == "GET" else None)
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        role, organisation = _check_common(form)
        active = bool(form.active.data)
        if user.id == current_user.id and role is not None and role != "admin":
            form.role.errors = [_("You cannot remove your own admin role: another admin has to do it, "
                                  "so the initiative is never left without someone who can manage accounts.")]
        if user.id == current_user.id and not active:
            form.active.errors = [_("You cannot deactivate your own account: another admin has to do it, "
                                    "so you cannot lock yourself out by mistake.")]
        if not any(field.errors for field in form):
            if change_account(user, role, active, organisation):
                db.session.commit()
                flash(_("The account of %(email)s was saved.", email=user.email))
            return redirect(url_for(".users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_edit.html", form=form, user=user), status
