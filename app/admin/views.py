"""The admin console's own pages: its start page and the translation coverage table."""
from pathlib import Path

from flask import current_app, render_template

from app.surveys.loader import check_files, survey_files


def index():
    return render_template("admin/index.html")


def translations():
    """The translation coverage table, the same as `flask translations coverage`."""
    from app.surveys.coverage import coverage_report, indicator_definitions
    good, _bad = check_files(survey_files(current_app.config["SURVEYS_DIR"]))
    surveys = [survey for _path, survey in good]
    indicators = indicator_definitions(Path(current_app.config["SURVEYS_DIR"]) / "indicators")
    return render_template("admin/translations.html", report=coverage_report(surveys, indicators), surveys=surveys,
                           indicators=indicators)
