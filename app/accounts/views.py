"""Sign-in and sign-out for staff and partners; attempts are limited (app.accounts.signin_limits)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import signin_limits
from app.accounts.forms import LoginForm
from app.accounts.passwords import verify_password
from app.core import audit
from app.core.extensions import db
from app.models import User

#: Where each role starts after signing in, when no safe ?next= says otherwise.
START_PAGES = {"admin": "admin.index", "equity_lead": "reports.index",
               "facilitator": "facilitate.index", "partner": "partner.index"}


def safe_next(target: str | None, role: str | None = None) -> str:
    """Only same-site paths, so the sign-in page cannot be used to bounce people elsewhere;
    without one, the role's own start page. Browsers drop tabs and newlines from a URL and read
    a backslash as a slash, so `/%09/evil` would become `//evil` (another site): any control
    character or backslash is refused."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in target)):
        return target
    return url_for(START_PAGES.get(role, "home.index"))


@signin_limits.per_address
def login():
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if not signin_limits.may_check_password(email):
            error, status = _("Too many failed attempts. Wait 15 minutes and try again."), 429
        else:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if verify_password(user.password_hash if user else None, form.password.data) and user.active:
                login_user(user)
                signin_limits.succeeded(email)
                audit.record("login", f"user:{user.id}", user=user)
                db.session.commit()
                return redirect(safe_next(request.args.get("next"), user.role))
            audit.record("login_failed", email)
            db.session.commit()
            error, status = _("That email and password do not match an account."), 401
    return render_template("auth/login.html", form=form, error=error), status


def logout():
    audit.record("logout", f"user:{current_user.id}")
    current_user.end_sessions()  # a copy of this session's cookie stops working too
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))
