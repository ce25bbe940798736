"""ODK Collect and Enketo: every URL of the room in one place.

- `device` at /openrosa/key/<token> (endpoints openrosa.*): the OpenRosa form list, forms and
  submissions, opened by a device token in the URL (no cookie, no CSRF);
- `admin` at /admin (endpoints devices.*): creating and revoking device tokens.
"""
from flask import Blueprint
from werkzeug.exceptions import HTTPException

from app.openrosa import admin_views, views

device = Blueprint("openrosa", __name__)
admin = Blueprint("devices", __name__)

device.url_value_preprocessor(views._device)
device.url_defaults(views._keep_token)
device.register_error_handler(HTTPException, views._openrosa_error)

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (device, "/", views.root, ["GET"]),
    (device, "/formList", views.form_list, ["GET"]),
    (device, "/forms/<slug>.xml", views.form_download, ["GET"]),
    (device, "/submission", views.submission_probe, ["HEAD", "GET"]),
    (device, "/submission", views.submission, ["POST"]),
    (admin, "/devices", admin_views.devices, ["GET", "POST"]),
    (admin, "/devices/<int:device_id>/revoke", admin_views.device_revoke, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
