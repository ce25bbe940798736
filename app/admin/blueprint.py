"""The admin console at /admin (endpoints admin.*): every URL of the room in one list.

The registry of stakeholders, accounts, device tokens and baselines have their own rooms and
blueprints (app/stakeholders, app/accounts, app/openrosa, app/baselines), also under /admin.
"""
from flask import Blueprint

from app.admin import audit, exports, imports, views

bp = Blueprint("admin", __name__)

#: (URL, view, methods); the endpoint is admin.<view name>.
URLS = (
    ("/", views.index, ["GET"]),
    ("/translations", views.translations, ["GET"]),
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
