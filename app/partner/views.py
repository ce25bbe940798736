"""Partner organisations: their own page, with the partner survey (endpoints partner.*), and the
invitation link that lets an organisation answer without an account."""
from flask import abort, redirect, render_template, session, url_for
from flask_login import current_user

from app.accounts.invitations import invitation_for_token
from app.core.extensions import db
from app.models import Stakeholder
from app.partner.senders import SESSION_KEY


def index():
    organisation = db.session.get(Stakeholder, current_user.stakeholder_id) if current_user.stakeholder_id else None
    return render_template("partner/index.html", organisation=organisation)


def invitation(token: str):
    """Open an invitation link: this browser now answers partner surveys for its organisation."""
    from app.surveys.loader import latest_versions
    found = invitation_for_token(token)
    if found is None:
        abort(404)  # unknown or revoked: the same answer, so links cannot be told apart
    session[SESSION_KEY] = found.id
    db.session.commit()  # last_used_at
    partner_surveys = sorted(v.survey_def.slug for v in latest_versions() if v.survey_def.kind == "partner")
    if not partner_surveys:
        abort(404)
    return redirect(url_for("respond.start", slug=partner_surveys[0]))
