"""The scorecard: every URL of the room in one place.

- `bp` at /scorecard (endpoints scorecard.*): the scorecard, turn-the-curve pages, stories,
  actions, partners' measures, and choosing what the public page shows;
- `public` (endpoint public.page): "you said, we did", read with no account.
"""
from flask import Blueprint

from app.scorecard import public as public_views
from app.scorecard import views

bp = Blueprint("scorecard", __name__)
public = Blueprint("public", __name__)

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (bp, "/", views.index, ["GET"]),
    (bp, "/indicators/<key>", views.indicator, ["GET"]),
    (bp, "/indicators/<key>/story", views.save_story, ["POST"]),
    (bp, "/indicators/<key>/actions/new", views.action_new, ["GET", "POST"]),
    (bp, "/indicators/<key>/actions/<int:action_id>", views.action_edit, ["GET", "POST"]),
    (bp, "/indicators/<key>/actions/<int:action_id>/delete", views.action_delete, ["POST"]),
    (bp, "/partners", views.partners, ["GET"]),
    (bp, "/publish", views.publish, ["GET"]),
    (bp, "/publish", views.save_publication, ["POST"]),
    (public, "/you-said-we-did", public_views.page, ["GET"]),
)
for blueprint, rule, view, methods in URLS:
    blueprint.add_url_rule(rule, view_func=view, methods=methods)
