"""Survey definitions under /api/v1 (endpoints api.surveys.*): the list and each survey."""
from flask import Blueprint

from app.surveys import api as api_views

api = Blueprint("surveys", __name__)
api.add_url_rule("/surveys", view_func=api_views.list_surveys, methods=["GET"])
api.add_url_rule("/surveys/<slug>", view_func=api_views.get_survey, methods=["GET"])
