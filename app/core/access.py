"""Who may do what: the whole access matrix, in one place, enforced before every request.

Each endpoint (or a whole blueprint) maps to the roles that may use it, or to PUBLIC. An
endpoint missing from the matrix is refused to everyone, so a new route cannot leak by
omission; tests/app/test_access.py walks every route for every role.
"""
from __future__ import annotations

from flask import abort, g, jsonify, redirect, request, url_for
from flask_login import LoginManager, current_user

from app.core.vocabulary import FACILITATOR_ROLES
from app.models import ROLES

PUBLIC = "public"
#: No account opens these: a device token in the URL does (app/openrosa), checked by the blueprint.
DEVICE = "device"
SIGNED_IN = tuple(ROLES)
STAFF_REPORTS = ("admin", "equity_lead")
FACILITATORS = FACILITATOR_ROLES
ADMINS = ("admin",)
#: Shared measurement is read by the backbone and by the partners who agreed on it.
INDICATOR_READERS = ("admin", "equity_lead", "partner")

#: Endpoint or blueprint → roles allowed (or PUBLIC). Exact endpoints win over blueprints.
ACCESS: dict[str, str | tuple[str, ...]] = {
    "static": PUBLIC,
    "respond": PUBLIC,                      # residents never need an account
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "home.index": PUBLIC,
    "home.language": PUBLIC,                # the staff picker; before sign-in it only sets the cookie
    "api.openapi": PUBLIC,
    "api.surveys": PUBLIC,                  # GET /api/v1/surveys and /surveys/<slug>
    "api.responses": PUBLIC,                # idempotent by submission id; residents' phones post here
    "api.stakeholders": ADMINS,             # POST /api/v1/stakeholders and /relationships
    "api.focus_groups": FACILITATORS,       # every /api/v1/focus-groups… endpoint
    "api.reports": STAFF_REPORTS,           # every /api/v1/reports/… endpoint
    "api.themes": STAFF_REPORTS,            # /api/v1/reports/themes
    "api.network": STAFF_REPORTS,           # /api/v1/reports/network
    "api.indicators": INDICATOR_READERS,    # indicators, their series and the scorecard export
    "api.indicators.post_values": ("admin", "partner"),  # a partner: only its own indicators (403)
    "facilitate": FACILITATORS,
    "reports": STAFF_REPORTS,
    "themes": STAFF_REPORTS,                # the themes report, review queue and codebook (read)
    "themes.codebook": ADMINS,              # editing the codebook of themes (equity leads read it)
    "network": STAFF_REPORTS,               # who works with whom
    "admin": ADMINS,                        # the admin console: imports, exports, audit log, translations
    "stakeholders": ADMINS,                 # the stakeholder registry and its ties
    "accounts": ADMINS,                     # accounts and partner invitations
    "devices": ADMINS,                      # ODK Collect device tokens
    "baselines": ADMINS,                    # the baselines table and saving it
    "tasks": STAFF_REPORTS,                 # a task's progress page (exports: admins only, app/tasks/views.py)
    "partner": ("admin", "partner"),
    "indicator_values": ("admin", "partner"),  # the form for reported values (a partner: its own, 403 else)
    "partner.invitation": PUBLIC,           # the link itself is the proof (app/accounts/invitations.py)
    "openrosa": DEVICE,                     # ODK Collect and Enketo, by the device token in the URL
    "scorecard": STAFF_REPORTS,             # the scorecard, turn-the-curve pages, stories, actions, partners' reporting
    "scorecard.publish": ADMINS,            # choosing what the public page shows
    "scorecard.save_publication": ADMINS,
    "public": PUBLIC,                       # "you said, we did": residents read it with no account
    "health.healthz": PUBLIC,               # load balancers and orchestrators (app/core/health.py)
    "health.readyz": PUBLIC,
}

#: Permissions inside pages that are not whole endpoints.
CAN = {
    "see_contacts": ADMINS,                 # stakeholder contact details
    "lift_suppression": ADMINS,             # show counts below the small-cell threshold (audited)
    "see_all_focus_groups": ADMINS,         # facilitators see the sessions they run
    "edit_codebook": ADMINS,                # the codebook of themes (its pages: ACCESS["themes.codebook"])
}

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


def allowed_roles(endpoint: str | None):
    """The ACCESS entry governing `endpoint`: the endpoint itself, else its nearest blueprint
    (`api.network.network` → `api.network` → `api`)."""
    if endpoint is None:
        return PUBLIC  # a 404: let the router answer it
    parts = endpoint.split(".")
    for size in range(len(parts), 0, -1):
        key = ".".join(parts[:size])
        if key in ACCESS:
            return ACCESS[key]
    return None


def acting_user():
    """The user this request acts for: a token's owner in the API, else the signed-in user."""
    user = g.get("user")
    if user is not None:
        return user
    return current_user if current_user and current_user.is_authenticated else None


def can(permission: str, user=None) -> bool:
    user = user or acting_user()
    return bool(user and user.is_authenticated and user.role in CAN[permission])


def _api_user():
    from app.core.tokens import user_for_token
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header[len("Bearer "):].strip())
    # A signed-in browser may read the API (reports JSON), but not write through it: writes
    # would skip CSRF protection, so they take a token.
    if request.method in ("GET", "HEAD") and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def enforce_access():
    roles = allowed_roles(request.endpoint)
    if roles in (PUBLIC, DEVICE):
        return None
    is_api = (request.blueprint or "").split(".")[0] == "api"
    user = _api_user() if is_api else (current_user if current_user.is_authenticated else None)
    g.user = user
    if roles is None:
        abort(403)  # not in the matrix: nobody
    if user is None:
        if is_api:
            response = jsonify(error="unauthorized", message="Sign in or send Authorization: Bearer <token>.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if user.role not in roles:
        abort(403)
    return None


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(enforce_access)

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.core.extensions import db
        from app.models import User

        # "id:version" (User.get_id); a version bumped by sign-out or a new password ends it.
        id_part, _colon, version = user_id.partition(":")
        if not (id_part.isdigit() and version.isdigit() and len(id_part) < 19):
            return None
        user = db.session.get(User, int(id_part))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    app.jinja_env.globals["can"] = can
