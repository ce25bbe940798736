"""The front page: surveys open to residents, and where each signed-in role goes next."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.i18n import shipped_languages
from app.localize import translator
from app.surveydef.loader import latest_versions

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    surveys = [(v.survey_def, translator(v.survey_def, v.survey_def.language)) for v in latest_versions()
               if v.survey_def.kind == "resident" or current_user.is_authenticated]
    return render_template("home/index.html", surveys=surveys, languages=shipped_languages())
