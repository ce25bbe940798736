"""Stakeholders: every URL of the room in one place.

- `admin` at /admin (endpoints stakeholders.*): the registry and its ties;
- `network` at /reports (endpoint network.network): who works with whom, for equity leads;
- `api` under /api/v1 (endpoints api.stakeholders.*): bulk creation by admins;
- `network_api` under /api/v1 (endpoint api.network.network): the network report as JSON.
"""
from flask import Blueprint

from app.reporting.requests import bounded, finish_report_request
from app.stakeholders import admin_views
from app.stakeholders import api as api_views
from app.stakeholders import network_views

admin = Blueprint("stakeholders", __name__)
network = Blueprint("network", __name__)
api = Blueprint("stakeholders", __name__)
network_api = Blueprint("network", __name__, url_prefix="/reports")

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (admin, "/stakeholders", admin_views.stakeholders, ["GET"]),
    (admin, "/stakeholders/new", admin_views.stakeholder_new, ["GET", "POST"]),
    (admin, "/stakeholders/<stakeholder_id>/edit", admin_views.stakeholder_edit, ["GET", "POST"]),
    (admin, "/stakeholders/<stakeholder_id>/delete", admin_views.stakeholder_delete, ["GET", "POST"]),
    (admin, "/relationships", admin_views.relationships, ["GET"]),
    (admin, "/relationships/new", admin_views.relationship_new, ["GET", "POST"]),
    (admin, "/relationships/<int:relationship_id>/delete", admin_views.relationship_delete, ["POST"]),
    (api, "/stakeholders", api_views.create_stakeholders, ["POST"]),
    (api, "/relationships", api_views.create_relationships, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
network.add_url_rule("/network", "network", network_views.network_page, methods=["GET"])
network_api.add_url_rule("/network", "network", network_views.network_json, methods=["GET"])
for report in (network, network_api):
    report.before_request(bounded)
    report.after_request(finish_report_request)
