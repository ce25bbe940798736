"""Focus groups: every URL of the room in one place.

- `pages` at /facilitate (endpoints facilitate.*): sessions, the live page and its posts;
- `api` under /api/v1 (endpoints api.focus_groups.*): the same recording for scripts.
"""
from flask import Blueprint

from app.focus_groups import api as api_views
from app.focus_groups import recording, views

pages = Blueprint("facilitate", __name__)
api = Blueprint("focus_groups", __name__)

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (pages, "/", views.index, ["GET", "POST"]),
    (pages, "/<int:group_id>", views.session, ["GET"]),
    (pages, "/<int:group_id>/participants/<code>/withdraw", views.withdraw, ["GET", "POST"]),
    (pages, "/<int:group_id>/participants", recording.register, ["POST"]),
    (pages, "/<int:group_id>/contributions", recording.contribute, ["POST"]),
    (pages, "/<int:group_id>/contributions.json", recording.contributions_json, ["POST"]),
    (pages, "/<int:group_id>/contributions/<int:contribution_id>/themes", recording.tag, ["POST"]),
    (pages, "/<int:group_id>/mentions", recording.mention, ["POST"]),
    (pages, "/<int:group_id>/relationships", recording.relationship, ["POST"]),
    (pages, "/<int:group_id>/votes", recording.dot_vote, ["POST"]),
    (pages, "/<int:group_id>/rankings", recording.ranking, ["POST"]),
    (api, "/focus-groups", api_views.create_session, ["POST"]),
    (api, "/focus-groups/<int:group_id>/participants", api_views.register_participant, ["POST"]),
    (api, "/focus-groups/<int:group_id>/contributions", api_views.add_contribution, ["POST"]),
    (api, "/focus-groups/<int:group_id>/votes", api_views.add_votes, ["POST"]),
    (api, "/focus-groups/<int:group_id>/participants/<code>/withdraw", api_views.withdraw, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
