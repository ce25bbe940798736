"""The backbone team's admin pages (endpoints admin.*): every URL in one list.

The views live in one module per area (stakeholders, users, audit); this module makes the
blueprint and registers them, so the URL map reads in one place and no module imports back.
"""
from flask import Blueprint, current_app, render_template

from app.admin import audit, exports, imports
from app.openrosa import admin_views as devices
from app.accounts import invitation_views as invitations
from app.stakeholders import admin_views as stakeholders
from app.accounts import admin_views as users
from app.surveys.loader import check_files, survey_files

bp = Blueprint("admin", __name__)


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/translations")
def translations():
    """The translation coverage table, the same as `flask translations coverage`."""
    from app.surveys.coverage import coverage_report
    good, _bad = check_files(survey_files(current_app.config["SURVEYS_DIR"]))
    surveys = [survey for _path, survey in good]
    return render_template("admin/translations.html", report=coverage_report(surveys), surveys=surveys)


#: (URL, view, methods); the endpoint is admin.<view name>.
URLS = (
    ("/stakeholders", stakeholders.stakeholders, ["GET"]),
    ("/stakeholders/new", stakeholders.stakeholder_new, ["GET", "POST"]),
    ("/stakeholders/<stakeholder_id>/edit", stakeholders.stakeholder_edit, ["GET", "POST"]),
    ("/stakeholders/<stakeholder_id>/delete", stakeholders.stakeholder_delete, ["GET", "POST"]),
    ("/relationships", stakeholders.relationships, ["GET"]),
    ("/relationships/new", stakeholders.relationship_new, ["GET", "POST"]),
    ("/relationships/<int:relationship_id>/delete", stakeholders.relationship_delete, ["POST"]),
    ("/users", users.users, ["GET"]),
    ("/users/new", users.user_new, ["GET", "POST"]),
    ("/users/<int:user_id>", users.user_edit, ["GET", "POST"]),
    ("/invitations", invitations.invitations, ["GET", "POST"]),
    ("/invitations/<int:invitation_id>/revoke", invitations.invitation_revoke, ["POST"]),
    ("/devices", devices.devices, ["GET", "POST"]),
    ("/devices/<int:device_id>/revoke", devices.device_revoke, ["POST"]),
    ("/audit", audit.audit_log, ["GET"]),
    ("/imports", imports.imports, ["GET"]),
    ("/imports/<kind>", imports.import_upload, ["GET", "POST"]),
    ("/imports/<kind>/<token>", imports.import_preview, ["GET"]),
    ("/imports/<kind>/<token>/apply", imports.import_apply, ["POST"]),
    ("/exports", exports.exports, ["GET", "POST"]),
    ("/exports/<task_id>/download", exports.export_download, ["GET"]),
)
for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
