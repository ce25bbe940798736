"""Population baselines at /admin/baselines (endpoints baselines.*): the table and saving it."""
from flask import Blueprint

from app.baselines import views

bp = Blueprint("baselines", __name__)
bp.add_url_rule("/baselines", view_func=views.baselines, methods=["GET"])
bp.add_url_rule("/baselines", view_func=views.save_baselines, methods=["POST"])
