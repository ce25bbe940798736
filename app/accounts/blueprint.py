"""Accounts: every URL of the room in one place.

- `auth` (endpoints auth.*): signing in and out;
- `admin` at /admin (endpoints accounts.*): accounts, and partner invitation links.
"""
from flask import Blueprint

from app.accounts import admin_views, invitation_views, views

auth = Blueprint("auth", __name__)
admin = Blueprint("accounts", __name__)

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (auth, "/login", views.login, ["GET", "POST"]),
    (auth, "/logout", views.logout, ["POST"]),
    (admin, "/users", admin_views.users, ["GET"]),
    (admin, "/users/new", admin_views.user_new, ["GET", "POST"]),
    (admin, "/users/<int:user_id>", admin_views.user_edit, ["GET", "POST"]),
    (admin, "/invitations", invitation_views.invitations, ["GET", "POST"]),
    (admin, "/invitations/<int:invitation_id>/revoke", invitation_views.invitation_revoke, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
