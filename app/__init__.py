"""Common Ground: a participatory survey and stakeholder-engagement server."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from app import outage
from app.core import access
from app.core import errors
from app.core import i18n
from app.core.config import default_config
from app.core.database import configure_engine, engine_options
from app.core.extensions import csrf, db, migrate
from app.core.security import headers
from app.core.security import safe_input
from app.core.security import url_ids

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

    from app import cli
    from app.baselines import views as _baselines  # noqa: F401  (registers routes on the admin blueprint)
    from app.themes import views as _themes_routes  # noqa: F401  (registers routes on the reports blueprint)
    from app.admin.views import bp as admin_bp
    from app.api import bp as api_bp
    from app.accounts.views import bp as auth_bp
    from app.focus_groups.views import bp as facilitate_bp
    from app.core.health import bp as health_bp
    from app.indicators.partner_form import bp as indicator_values_bp
    from app.home.views import bp as home_bp
    from app.openrosa.views import bp as openrosa_bp
    from app.partner.views import bp as partner_bp
    from app.partner import measures as _partner_measures  # noqa: F401  (registers routes on the partner blueprint)
    from app.scorecard import labels as scorecard_labels
    from app.scorecard.public import bp as public_bp
    from app.scorecard.views import bp as scorecard_bp
    from app.reports.views import bp as reports_bp
    from app.responses.views import bp as respond_bp
    from app.responses import withdraw_views as _respond_withdraw  # noqa: F401  (registers its route)

    app.register_blueprint(health_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(facilitate_bp, url_prefix="/facilitate")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(partner_bp, url_prefix="/partner")
    app.register_blueprint(indicator_values_bp, url_prefix="/partner/indicators")
    app.register_blueprint(scorecard_bp, url_prefix="/scorecard")
    app.register_blueprint(public_bp)
    scorecard_labels.init_app(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(openrosa_bp, url_prefix="/openrosa/key/<token>")
    csrf.exempt(api_bp)  # the API authenticates by token and is idempotent by submission id
    csrf.exempt(openrosa_bp)  # so does OpenRosa, with the device token in its URL
    errors.init_app(app)
    outage.init_app(app)
    cli.init_app(app)
    from app import tasks
    tasks.init_app(app)
    return app
