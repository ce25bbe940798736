"""`flask indicators check|load [PATH]` and `flask import indicator-values FILE.csv`.

As for surveys: check prints every mistake as `file:line: message` and exits 1; load stores a
new version of each changed file, or nothing if any file is wrong. The import is all or
nothing, with every problem listed by row on standard error.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.core import audit
from app.core.database import refresh_statistics
from app.core.extensions import db
from app.indicators.loader import (
    INDICATORS_FOLDER, IndicatorLoadError, check_indicator_files, indicator_files, known_surveys, load_indicators,
)
from app.indicators.reported import VALUE_COLUMNS, Catalogue, check_value_records, store_values
from app.stakeholders.cli import record_failure
from app.stakeholders.importing import read_csv

indicators_cli = AppGroup("indicators", help="Check and load indicator files (surveys/indicators/).")


def default_path() -> Path:
    return Path(current_app.config["SURVEYS_DIR"]) / INDICATORS_FOLDER


def _files(path: str | None) -> list[Path]:
    try:
        return indicator_files(path or default_path())
    except FileNotFoundError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@indicators_cli.command("check")
@click.argument("path", required=False)
def indicators_check(path: str | None) -> None:
    """Validate indicator files against the surveys; print file:line: message and exit 1 if any is wrong."""
    good, bad = check_indicator_files(_files(path), known_surveys(current_app.config["SURVEYS_DIR"]))
    for error in bad:
        click.echo(str(error), err=True)
    for path_, indicator in good:
        click.echo(f"{path_}: ok ({indicator.key}, {indicator.source.statistic or 'reported'}, {indicator.frequency})")
    if bad:
        sys.exit(1)
    click.echo(f"all {len(good)} indicator files are valid" if len(good) != 1 else "the indicator file is valid")


@indicators_cli.command("load")
@click.argument("path", required=False)
def indicators_load(path: str | None) -> None:
    """Store a new version of each indicator whose file changed; nothing if any file is wrong."""
    _files(path)
    try:
        results = load_indicators(path or default_path(), current_app.config["SURVEYS_DIR"])
    except IndicatorLoadError as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo("nothing was loaded", err=True)
        sys.exit(1)
    for r in results:
        click.echo(f"{r.key}: version {r.version} ({'new version' if r.created else 'unchanged'})")


@click.command("indicator-values")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_indicator_values(path: str) -> None:
    """Reported indicator values: indicator,period,geography,dimension,category,value[,numerator,denominator,source]."""
    with open(path, "rb") as handle:
        found = read_csv(handle.read(), VALUE_COLUMNS)
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    clean, errors = check_value_records(found.rows, Catalogue.current())
    errors = sorted(found.errors + errors, key=lambda e: -1 if e.row is None else e.row)
    if errors:
        db.session.rollback()
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(errors)} problem(s): nothing was imported", err=True)
        record_failure("indicator-values", click.format_filename(path), len(errors))
        sys.exit(1)
    applied = store_values(clean, via="csv")
    audit.record("import", "indicator-values", via="cli", file=click.format_filename(path),
                 created=len(applied.created), updated=len(applied.updated))
    db.session.commit()
    refresh_statistics()
    click.echo(f"{len(applied.created)} value(s) added, {len(applied.updated)} replaced")
