"""Residents: withdraw a finished response with its resume code, at /s/<slug>/withdraw.

The view is attached to the respond blueprint (imported once by the app factory). No account
is needed: the code shown on the thank-you page is the proof. A withdrawn response leaves every
report and export from then on (app.withdrawal); withdrawing twice changes nothing.
"""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from app.extensions import db
from app.models import Survey
from app.respond.code_throttle import refuse_if_too_many
from app.respond.routes import _context, bp
from app.withdrawal import response_for_code, withdraw_response


class WithdrawForm(FlaskForm):
    code = StringField()


@bp.route("/<slug>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str):
    form = WithdrawForm()
    error = None
    if request.method == "POST":
        refuse_if_too_many("withdraw")
        if not form.validate():  # only CSRF can fail: the page was open too long or cookies are off
            error = _("This page had been open for a long time. Please enter your code again.")
        else:
            response = response_for_code(Survey.by_slug(slug).id, form.code.data or "")
            if response is not None:
                withdraw_response(response)
                db.session.commit()
                return render_template("respond/withdraw.html", form=form, withdrawn=True, **_context())
            error = _("We could not find finished answers with that code. Check it and try again.")
    status = 422 if error else 200
    return render_template("respond/withdraw.html", form=form, error=error, withdrawn=False,
                           **_context()), status
