"""JSON API v1. The survey routes live on the `api` blueprint itself; each other area is a child
blueprint (endpoints `api.<area>.<view>`), attached here once at import."""
from app.api.focus_groups import bp as focus_groups_bp
from app.api.indicators import bp as indicators_bp
from app.api.reports import bp as reports_bp
from app.api.routes import bp
from app.api.stakeholders import bp as stakeholders_bp
from app.api import report_themes as _report_themes  # noqa: F401  (adds /reports/themes to reports_bp)

for child in (focus_groups_bp, indicators_bp, reports_bp, stakeholders_bp):
    bp.register_blueprint(child)

__all__ = ["bp"]
