"""Residents: withdraw a finished response with its resume code, at /s/<slug>/withdraw.

Two steps, so a slip of the thumb withdraws nothing: the code finds the answers, then the
resident confirms (or keeps them). It ends on its own page saying the answers were withdrawn,
never the thank-you page. The view is attached to the respond blueprint (imported once by the
app factory). No account is needed: the code shown on the thank-you page is the proof. A
withdrawn response leaves every report and export from then on (app.withdrawal); withdrawing
twice changes nothing.
"""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from app.extensions import db
from app.models import Survey
from app.respond.routes import _context, bp
from app.withdrawal import response_for_code, withdraw_response


class WithdrawForm(FlaskForm):
    code = StringField()


@bp.route("/<slug>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str):
    form = WithdrawForm()
    step, error, expired = "code", None, False
    if request.method == "POST":
        confirming = request.form.get("confirm")
        response = response_for_code(Survey.by_slug(slug).id, form.code.data or "")
        if not form.validate():  # only CSRF can fail: the session ended (page open long, cookies cleared)
            expired = True
            step = "confirm" if confirming and response is not None else "code"
        elif response is None:
            error = _("We could not find finished answers with that code. Check it and try again.")
        elif response.withdrawn_at is not None or confirming == "yes":
            withdraw_response(response)
            db.session.commit()
            return render_template("respond/withdrawn.html", **_context())
        elif confirming == "no":
            step = "kept"
        else:
            step = "confirm"
    status = 422 if error else 200
    return render_template("respond/withdraw.html", form=form, error=error, step=step, expired=expired,
                           **_context()), status
