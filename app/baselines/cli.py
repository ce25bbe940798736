"""`flask --app wsgi import baseline FILE.csv [--mapping MAP.yaml] [--year Y] [--source S]`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.baselines.importing import BaselineError, decode, read_long, read_wide
from app.core import audit
from app.core.database import refresh_statistics
from app.core.extensions import db
from app.reporting.population import known_categories, store_rows


@click.command("baseline")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML saying which columns of a wide census table are which category.")
@click.option("--year", type=int, default=0, help="Year for rows that give none.")
@click.option("--source", default="", help="Source for rows that give none, e.g. '2021 Census DP05'.")
@with_appcontext
def import_baseline(path: Path, mapping: Path | None, year: int, source: str) -> None:
    """Population figures: all rows or none; every bad row is reported with its number."""
    known = known_categories()
    try:
        text = decode(path.read_bytes())
        rows = read_wide(text, mapping.read_text(encoding="utf-8"), known) if mapping else \
            read_long(text, known, default_year=year, default_source=source)
    except BaselineError as exc:
        for error in exc.errors:
            click.echo(f"{path}: {error}", err=True)
        click.echo("nothing was imported", err=True)
        audit.record("import_failed", "baseline", via="cli", file=path.name, problems=len(exc.errors))
        db.session.commit()
        sys.exit(1)
    with click.progressbar(length=len(rows), label="importing", file=sys.stderr) as bar:
        created, updated = store_rows(rows, progress=lambda: bar.update(1))
    audit.record("import", f"baseline:{path.name}", via="cli", created=created, updated=updated)
    db.session.commit()
    refresh_statistics()
    click.echo(f"{created} created, {updated} updated, {len(rows) - created - updated} unchanged")
