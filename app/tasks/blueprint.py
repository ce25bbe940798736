"""A task's progress at /tasks (endpoints tasks.*): the page that refreshes itself, and its JSON."""
from flask import Blueprint

from app.tasks import views

bp = Blueprint("tasks", __name__)
bp.add_url_rule("/<task_id>", view_func=views.status, methods=["GET"])
bp.add_url_rule("/<task_id>/status", view_func=views.status_json, methods=["GET"])
