"""JSON API v1. The survey routes live on the `api` blueprint itself; each other area is a child
blueprint (endpoints `api.<area>.<view>`), attached here once at import."""
from app.focus_groups.api import bp as focus_groups_bp
from app.indicators.api import bp as indicators_bp
from app.reports.api import bp as reports_bp
from app.responses.api import bp
from app.stakeholders.api import bp as stakeholders_bp
from app.themes import api as _report_themes  # noqa: F401  (adds /reports/themes to reports_bp)

for child in (focus_groups_bp, indicators_bp, reports_bp, stakeholders_bp):
    bp.register_blueprint(child)

__all__ = ["bp"]
