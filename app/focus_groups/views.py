"""Facilitators: focus groups on a tablet (endpoints facilitate.*).

This module has the list of sessions, creating one, the session page and withdrawing a
participant; app.focus_groups.recording has the posts that record what happens in a session.
Every form is a plain post answered by a redirect (post/redirect/get), so the pages work with
JavaScript off; app/static/facilitate.js only adds an offline queue for contributions.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.core.extensions import db
from app.core.i18n import language_name, shipped_languages
from app.core.localize import translator
from app.focus_groups import operations
from app.focus_groups.checks import FACILITATOR_ROLES, check_session
from app.focus_groups.forms import ConfirmForm, SessionForm
from app.focus_groups.page import render_session, staff_lang
from app.focus_groups.sessions import (
    DEFAULT_SURVEY, participant_by_code, session_context, session_for, survey_versions, visible_sessions,
)
from app.models import Stakeholder, User
from app.responses.withdrawal import withdraw_participant


def _session_form_choices(form: SessionForm) -> None:
    form.lang.choices = [SelectChoice(code, language_name(code)) for code in shipped_languages()]
    form.host.choices = [SelectChoice("", _("No host organisation"))] + [
        SelectChoice(s.id, s.name) for s in db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name))]
    form.survey.choices = [SelectChoice(v.survey_def.slug, _survey_title(v)) for v in survey_versions()]
    form.facilitators.choices = [
        SelectChoice(str(u.id), u.email) for u in db.session.scalars(
            sa.select(User).where(User.active.is_(True), User.role.in_(FACILITATOR_ROLES), User.id != current_user.id)
            .order_by(User.email))]


def _survey_title(version) -> str:
    survey = version.survey_def
    title = translator(survey, staff_lang())("title", survey.title)
    return _("%(title)s (version %(number)s)", title=title, number=version.number)


def index():
    """The sessions this user may see, and the form to create one."""
    form = SessionForm()
    errors = {}
    if request.method == "GET":
        form.lang.data, form.survey.data = "en", DEFAULT_SURVEY
    elif form.validate():
        clean, errors = check_session(form.payload())
        if not errors:
            group = operations.create_session(clean, current_user)
            db.session.commit()
            flash(_("Session created. Register the participants first."))
            return redirect(url_for(".session", group_id=group.id))
    else:
        errors["_form"] = _("This form had expired. Please press the button again.")
    _session_form_choices(form)
    status = 422 if errors else 200
    return render_template("facilitate/index.html", form=form, errors=errors, lang=staff_lang(),
                           sessions=visible_sessions(current_user)), status


def session(group_id: int):
    """The session page, usable on a tablet."""
    ctx = session_context(session_for(group_id, current_user))
    return render_session(ctx, focus=request.args.get("focus"), written=request.args.get("written"))


def withdraw(group_id: int, code: str):
    """Confirm, then withdraw a participant: they leave every report and export from now on."""
    group = session_for(group_id, current_user)
    participant = participant_by_code(group, code)
    if participant is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        withdraw_participant(participant, current_user)
        db.session.commit()
        flash(_("Participant %(code)s has been withdrawn. They are left out of every report and export.",
                code=participant.code))
        return redirect(url_for(".session", group_id=group.id, _anchor="participants"))
    return render_template("facilitate/withdraw.html", group=group, participant=participant, form=form,
                           lang=staff_lang())
