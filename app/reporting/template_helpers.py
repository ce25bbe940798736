"""Template helpers every report page uses: a survey's title, a dimension's and a sector's name,
in the interface language."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from app.reporting.labels import dimension_name, sector_name, survey_title


def report_survey_title(survey) -> str:
    """A survey's title in the interface language, for filter lists (never its slug)."""
    return survey_title(survey, str(get_locale()))


def init_app(app: Flask) -> None:
    app.add_template_global(report_survey_title)
    for name, helper in (("dimension_label", dimension_name), ("sector_label", sector_name)):
        app.add_template_global(helper, name)
        app.add_template_filter(helper, name)
