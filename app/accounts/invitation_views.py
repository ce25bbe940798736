"""Admin pages for partner invitation links: make one for an organisation (shown once), list
them, revoke them. URLs are in app/admin/views.py; the links themselves in app/partner."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.accounts.invitations import create_invitation, revoke_invitation
from app.core.extensions import db
from app.models import PartnerInvitation, Stakeholder


class InvitationForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), validate_choice=False, description=_l(
        "Whoever opens the link answers the partner survey for this organisation."))


def _page(form: InvitationForm, link: str | None = None, status: int = 200):
    rows = db.session.execute(sa.select(PartnerInvitation, Stakeholder.name)
                              .join(Stakeholder, Stakeholder.id == PartnerInvitation.stakeholder_id)
                              .order_by(PartnerInvitation.created_at.desc(), PartnerInvitation.id.desc())).all()
    return render_template("admin/invitations.html", form=form, rows=rows, link=link), status


def invitations():
    form = InvitationForm()
    organisations = db.session.scalars(sa.select(Stakeholder).order_by(sa.func.lower(Stakeholder.name), Stakeholder.id))
    form.organisation.choices = [SelectChoice(s.id, f"{s.name} ({s.id})") for s in organisations]
    if request.method == "GET":
        return _page(form)
    if form.validate_on_submit():
        stakeholder = db.session.get(Stakeholder, form.organisation.data or "")
        if stakeholder is None:
            form.organisation.errors = [_("Choose an organisation from the registry.")]
        else:
            _invitation, token = create_invitation(stakeholder.id, current_user)
            db.session.commit()
            return _page(form, link=url_for("partner.invitation", token=token, _external=True), status=201)
    return _page(form, status=422)


def invitation_revoke(invitation_id: int):
    invitation = db.get_or_404(PartnerInvitation, invitation_id)
    form = FlaskForm()
    if form.validate_on_submit() and revoke_invitation(invitation, current_user):
        db.session.commit()
        flash(_("The invitation link was revoked: it no longer opens the partner survey."))
    return redirect(url_for(".invitations"))
