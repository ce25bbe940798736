"""Partner organisations: their own page, with the partner survey (endpoints partner.*)."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.extensions import db
from app.models import Stakeholder

bp = Blueprint("partner", __name__)


@bp.get("/")
def index():
    organisation = db.session.get(Stakeholder, current_user.stakeholder_id) if current_user.stakeholder_id else None
    return render_template("partner/index.html", organisation=organisation)
