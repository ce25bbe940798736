"""Residents: withdraw a finished response with its resume code, at /s/<slug>/withdraw.

Two steps, so a slip of the thumb withdraws nothing: the resident enters the code, then
confirms (or keeps the answers); whether the code was found is said only after confirming. It ends on its own page saying the answers were withdrawn,
never the thank-you page. The view is attached to the respond blueprint (imported once by the
app factory). No account is needed: the code shown on the thank-you page is the proof. A
withdrawn response leaves every report and export from then on (app.responses.withdrawal); withdrawing
twice changes nothing.
"""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from app.core.extensions import db
from app.models import Survey
from app.responses.code_throttle import refuse_if_too_many
from app.responses.views import _context
from app.responses.withdrawal import response_for_code, withdraw_response


class WithdrawForm(FlaskForm):
    code = StringField()


def withdraw(slug: str):
    form = WithdrawForm()
    step, error, expired = "code", None, False
    if request.method == "POST":
        refuse_if_too_many("withdraw")
        confirming = request.form.get("confirm")
        if not form.validate():  # only CSRF can fail: the session ended (page open long, cookies cleared)
            expired = True
            step = "confirm" if confirming else "code"
        elif confirming == "no":
            step = "kept"
        elif confirming == "yes":
            response = response_for_code(Survey.by_slug(slug).id, form.code.data or "")
            if response is None:
                error = _("We could not find finished answers with that code. Check it and try again.")
            else:
                withdraw_response(response)  # a second time changes nothing
                db.session.commit()
                return render_template("respond/withdrawn.html", **_context())
        else:
            # Right and wrong codes get the same confirmation step: the page cannot be used to
            # test codes, and only a confirmed request says whether the code was found.
            step = "confirm"
    status = 422 if error else 200
    return render_template("respond/withdraw.html", form=form, error=error, step=step, expired=expired,
                           **_context()), status
