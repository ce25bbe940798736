"""The command line: `flask --app wsgi setup|surveys|export …` (contracts in DESIGN.md)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from app.core.database import refresh_statistics
from app.core.extensions import db
from app.surveys.loader import SurveyLoadError, check_files, load_surveys, survey_files

surveys_cli = AppGroup("surveys", help="Check and load survey files; import and export XLSForms.")
export_cli = AppGroup("export", help="Export data to standard output.")
translations_cli = AppGroup("translations", help="Translation coverage.")


def init_app(app) -> None:
    from app.accounts.cli import invitations_cli, tokens_cli, users_cli
    from app.baselines.cli import import_baseline
    from app.indicators.cli import import_indicator_values, indicators_cli
    from app.stakeholders.cli import import_cli
    from app.themes.cli import themes_cli
    from app.xlsform.cli import export_xlsform_command, import_xlsform_command
    import_cli.add_command(import_baseline)
    surveys_cli.add_command(import_xlsform_command)
    surveys_cli.add_command(export_xlsform_command)
    import_cli.add_command(import_indicator_values)
    app.cli.add_command(setup_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(invitations_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(surveys_cli)
    app.cli.add_command(indicators_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(translations_cli)
    app.cli.add_command(themes_cli)


def _surveys_path(path: str | None) -> str:
    return path or current_app.config["SURVEYS_DIR"]


def _print_load_errors(exc: SurveyLoadError) -> None:
    for error in exc.errors:
        click.echo(str(error), err=True)


@click.command("setup")
@click.option("--demo", is_flag=True, help="Also seed a demo initiative with synthetic responses.")
@with_appcontext
def setup_command(demo: bool) -> None:
    """Create or migrate the database, load surveys/, and with --demo seed demo data. Idempotent."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    try:
        results = load_surveys(_surveys_path(None))
    except SurveyLoadError as exc:
        _print_load_errors(exc)
        sys.exit(1)
    for r in results:
        click.echo(f"survey {r.slug}: version {r.version}{' (new)' if r.created else ''}")
    if demo:
        from app.demo import seed_demo
        click.echo(seed_demo())
    refresh_statistics()
    _print_next_steps()


#: Where `flask --app wsgi run` serves by default; the quick start opens this address.
LOCAL_ADDRESS = "http://127.0.0.1:5000"


def _print_next_steps() -> None:
    """What a newcomer does next: open a resident survey, and make the first admin if there is none."""
    from app.models import User
    from app.surveys.loader import latest_versions
    resident = sorted(v.survey_def.slug for v in latest_versions() if v.survey_def.kind == "resident")
    click.echo("")
    click.echo("Next steps:")
    click.echo("  flask --app wsgi run")
    if resident:
        click.echo(f"  residents answer at {LOCAL_ADDRESS}/s/{resident[0]}")
    if not db.session.scalar(sa.select(User.id).where(User.role == "admin").limit(1)):
        click.echo("  create the first admin account (asks for a password), then sign in at "
                   f"{LOCAL_ADDRESS}/login:")
        click.echo("  flask --app wsgi users create you@example.org --role admin")


@surveys_cli.command("check")
@click.argument("path", required=False)
def surveys_check(path: str | None) -> None:
    """Validate survey files; print every error as file:line: message and exit 1 if any."""
    try:
        files = survey_files(_surveys_path(path))
    except FileNotFoundError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    good, bad = check_files(files)
    for error in bad:
        click.echo(str(error), err=True)
    for path_, survey in good:
        click.echo(f"{path_}: ok ({survey.slug}, {len(survey.questions)} questions)")
    if bad:
        sys.exit(1)
    click.echo(f"all {len(good)} survey files are valid" if len(good) != 1 else "the survey file is valid")


@surveys_cli.command("load")
@click.argument("path", required=False)
def surveys_load(path: str | None) -> None:
    """Store a new version of each survey whose content changed; store nothing if any file is wrong."""
    try:
        results = load_surveys(_surveys_path(path))
    except FileNotFoundError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except SurveyLoadError as exc:
        db.session.rollback()
        _print_load_errors(exc)
        click.echo("nothing was loaded", err=True)
        sys.exit(1)
    for r in results:
        state = "new version" if r.created else "unchanged"
        click.echo(f"{r.slug}: version {r.version} ({state})")
    refresh_statistics()


@export_cli.command("responses")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def export_responses(slug: str, fmt: str) -> None:
    """One row per response, one column per question key, to standard output."""
    from app.core import audit
    from app.reporting.export import UnknownSurvey, write_responses
    try:
        write_responses(slug, fmt, sys.stdout)
    except UnknownSurvey:
        click.echo(f"no survey with slug '{slug}'", err=True)
        sys.exit(1)
    audit.record("export", f"survey:{slug}", via="cli", format=fmt)
    db.session.commit()


@translations_cli.command("coverage")
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 if any shipped language is below this percentage anywhere.")
def translations_coverage(minimum: float | None) -> None:
    """Per language: share of interface strings, of each survey's texts and of the indicators' texts translated."""
    from app.core.i18n import language_name
    from app.surveys.coverage import coverage_report, indicator_definitions
    good, bad = check_files(survey_files(_surveys_path(None)))
    for error in bad:
        click.echo(str(error), err=True)
    surveys = [survey for _path, survey in good]
    indicators = indicator_definitions(Path(_surveys_path(None)) / "indicators")
    report = coverage_report(surveys, indicators)
    columns = [s.slug for s in surveys] + (["indicators"] if indicators else [])
    click.echo(f"{'language':22} {'interface':>10} " + " ".join(f"{name:>18}" for name in columns) + "  obsolete")
    below = []
    for row in report:
        shares = row.shares()
        cells = " ".join(f"{value:17.1f}%" for value in shares[1:])
        click.echo(f"{row.lang + ' ' + language_name(row.lang):22} {shares[0]:9.1f}% {cells}  {len(row.obsolete)}")
        if minimum is not None and min(shares) < minimum:
            below.append(row.lang)
    for row in report:
        for entry in row.obsolete:
            click.echo(f"obsolete in {row.lang}: {entry}", err=True)
    if below:
        click.echo(f"below {minimum:g}%: {', '.join(below)}", err=True)
        sys.exit(1)


@export_cli.command("focus-groups")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
def export_focus_groups(fmt: str) -> None:
    """Focus-group sessions with participants, contributions, mentions and votes, to standard
    output; withdrawn participants and everything they said are left out."""
    from app.core import audit
    from app.reporting.export import write_focus_groups
    write_focus_groups(fmt, sys.stdout)
    audit.record("export", "focus-groups", via="cli", format=fmt)
    db.session.commit()
