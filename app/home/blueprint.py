"""The start page and the staff language picker (endpoints home.*)."""
from flask import Blueprint

from app.home import views

bp = Blueprint("home", __name__)
bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/language", view_func=views.language, methods=["POST"])
