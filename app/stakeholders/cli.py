"""`flask import stakeholders|relationships|baseline FILE.csv`.

Each import is all or nothing: every row is checked first, every problem is listed on standard
error with its row, and only a file with none is applied, in one commit.
"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.database import refresh_statistics
from app.core.extensions import db
from app.models import Relationship
from app.stakeholders.importing import RELATIONSHIPS, STAKEHOLDERS, ImportKind, import_records, read_csv

import_cli = AppGroup("import", help="Import CSV files (all or nothing, with a per-row error report).")


def record_failure(noun: str, file: str, problems: int) -> None:
    """Put a refused import in the audit log, in its own commit (the import itself was rolled back)."""
    audit.record("import_failed", noun, via="cli", file=file, problems=problems)
    db.session.commit()


def _progress(label: str):
    """Wrap a pass over rows in a progress bar on standard error (standard output stays the result)."""
    def wrap(rows: list):
        with click.progressbar(rows, label=label, file=sys.stderr) as bar:
            yield from bar
    return wrap


def _run_import(kind: ImportKind, path: str, describe) -> None:
    with open(path, "rb") as handle:
        found = read_csv(handle.read(), kind.columns)
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    progress = _progress(f"checking {len(found.rows)} row(s)") if found.rows else iter
    try:
        applied, errors = import_records(kind, found, progress=progress)
        if errors:
            db.session.rollback()
            for error in errors:
                click.echo(str(error), err=True)
            click.echo(f"{len(errors)} problem(s): nothing was imported", err=True)
            record_failure(kind.noun, click.format_filename(path), len(errors))
            sys.exit(1)
        audit.record("import", kind.noun, via="cli", file=click.format_filename(path),
                     created=len(applied.created), updated=len(applied.updated))
        db.session.commit()
    except IntegrityError:  # another process added the same row meanwhile
        db.session.rollback()
        record_failure(kind.noun, click.format_filename(path), 1)
        click.echo("the registry changed while importing: nothing was imported; run the import again", err=True)
        sys.exit(1)
    refresh_statistics()
    click.echo(f"{kind.noun}: {len(applied.created)} created, {len(applied.updated)} updated")
    for label, keys in (("created", applied.created), ("updated", applied.updated)):
        for key in keys:
            click.echo(f"{label} {describe(key)}")


@import_cli.command("stakeholders")
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
def import_stakeholders(path: str) -> None:
    """Create or update stakeholders from a CSV file with the columns id, name, sector, kind,
    neighbourhood and optionally contact. An existing id is updated, a new id created."""
    _run_import(STAKEHOLDERS, path, describe=str)


@import_cli.command("relationships")
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
def import_relationships(path: str) -> None:
    """Add ties from a CSV file with the columns source, target, type, weight (blank: 1) and date
    (YYYY-MM-DD or blank). Both ids must be in the registry; importing a tie again updates its weight."""
    def describe(relationship_id: int) -> str:
        tie = db.session.get(Relationship, relationship_id)
        return f"{tie.source_id} -> {tie.target_id} ({tie.type}, weight {tie.weight:g})"
    _run_import(RELATIONSHIPS, path, describe=describe)
