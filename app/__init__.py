"""Common Ground: a participatory survey and stakeholder-engagement server."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from app import outage
from app.core import access, errors, i18n
from app.core.config import default_config
from app.core.database import configure_engine, engine_options
from app.core.extensions import csrf, db, migrate
from app.core.security import headers, safe_input, url_ids

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then `config` (tests pass theirs here)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(default_config(app.instance_path))
    if config:
        app.config.from_mapping(config)
    url_ids.init_app(app)  # before any route is added
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    safe_input.init_app(app)  # first: nothing below may see text a column cannot hold
    headers.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    access.init_app(app)
    from app.accounts import signin_limits
    signin_limits.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config)

    register_blueprints(app)
    errors.init_app(app)
    outage.init_app(app)
    from app import cli
    cli.init_app(app)
    from app import tasks
    tasks.init_app(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Every room's blueprints at their URL prefixes; each room lists its URLs in its blueprint.py."""
    from app import api
    from app.accounts import blueprint as accounts
    from app.admin import blueprint as admin
    from app.baselines import blueprint as baselines
    from app.core import health
    from app.focus_groups import blueprint as focus_groups
    from app.home import blueprint as home
    from app.indicators import blueprint as indicators
    from app.openrosa import blueprint as openrosa
    from app.partner import blueprint as partner
    from app.reporting import template_helpers
    from app.reports import blueprint as reports
    from app.responses import blueprint as responses
    from app.scorecard import blueprint as scorecard
    from app.scorecard import labels as scorecard_labels
    from app.stakeholders import blueprint as stakeholders
    from app.surveys import blueprint as surveys
    from app.tasks import blueprint as tasks
    from app.themes import blueprint as themes

    pages = (
        (health.bp, None),
        (home.bp, None),
        (accounts.auth, None),
        (responses.pages, None),  # /s
        (focus_groups.pages, "/facilitate"),
        (reports.pages, "/reports"),
        (themes.pages, "/reports/themes"),
        (stakeholders.network, "/reports"),
        (admin.bp, "/admin"),
        (stakeholders.admin, "/admin"),
        (accounts.admin, "/admin"),
        (openrosa.admin, "/admin"),
        (baselines.bp, "/admin"),
        (partner.bp, "/partner"),
        (indicators.values, "/partner/indicators"),
        (scorecard.bp, "/scorecard"),
        (scorecard.public, None),
        (tasks.bp, "/tasks"),
        (openrosa.device, "/openrosa/key/<token>"),
    )
    for blueprint, prefix in pages:
        app.register_blueprint(blueprint, url_prefix=prefix)
    # No CSRF check where another proof stands: the API authenticates by token (app/core/access.py
    # refuses a browser session's writes) and is idempotent by submission id; CSRFProtect only
    # skips the exact blueprint a request is routed to, so each child is exempted itself. OpenRosa
    # authenticates by the device token in its URL. Each resident form checks its own CSRF token,
    # so an expired token re-shows the page with the answers still filled in, not a bare 400.
    api_children = (surveys.api, responses.api, focus_groups.api, stakeholders.api, stakeholders.network_api,
                    reports.api, themes.api, indicators.api)
    api_bp = api.make_blueprint(api_children)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    for exempt in (api_bp, *api_children, openrosa.device, responses.pages):
        csrf.exempt(exempt)
    template_helpers.init_app(app)
    scorecard_labels.init_app(app)
