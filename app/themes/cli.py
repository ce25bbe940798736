"""`flask --app wsgi themes tag|check|import-codebook|export-codebook`: the codebook and its tags from
the command line (clear errors, exit 1 on failure, nothing changed by a failed import)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.database import refresh_statistics
from app.extensions import db

themes_cli = AppGroup("themes", help="The codebook of themes and the automatic tags.")


def _codebook_or_exit():
    from app.themes.codebook import current_codebook
    codebook, tag_hash = current_codebook()
    if codebook is None:
        click.echo("there is no codebook in the database: run `themes import-codebook FILE.yaml` first", err=True)
        sys.exit(1)
    return codebook, tag_hash


@themes_cli.command("tag")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=None, help="Texts per committed batch.")
def tag_command(batch_size: int | None) -> None:
    """Tag every text that is new or was tagged with another codebook (idempotent)."""
    from app.themes.tagging import BATCH_SIZE, bring_up_to_date
    codebook, tag_hash = _codebook_or_exit()

    def commit():
        db.session.commit()
        click.echo(".", nl=False, err=True)

    run = bring_up_to_date(codebook, tag_hash, commit=commit, batch_size=batch_size or BATCH_SIZE)
    if run.batches:
        click.echo("", err=True)
        refresh_statistics()
    if run.interrupted:
        click.echo(f"another process is tagging too; {run.pending} texts left to it", err=True)
    click.echo(f"tagged {run.tagged} texts in {run.batches} batches; {run.pending} waiting")


@themes_cli.command("import-codebook")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_codebook(path: Path) -> None:
    """Replace the database codebook with a YAML file; nothing changes if the file is invalid."""
    from analysis.themes import Codebook, CodebookError
    from app.themes.codebook import replace_codebook
    try:
        codebook = Codebook.from_yaml(path)
    except CodebookError as exc:
        click.echo(str(exc), err=True)
        click.echo("nothing was imported", err=True)
        sys.exit(1)
    summary = replace_codebook(codebook, source=path.name)
    db.session.commit()
    click.echo(f"{path.name}: {len(codebook.themes)} themes ({summary['created']} new, {summary['changed']} changed, "
               f"{summary['removed']} removed)")


@themes_cli.command("export-codebook")
@click.option("--format", "fmt", type=click.Choice(["yaml", "qdc"]), default="yaml", show_default=True)
@click.option("--lang", default="en", show_default=True, help="Language of the code names in a .qdc file.")
def export_codebook(fmt: str, lang: str) -> None:
    """Write the codebook to standard output as YAML or as a REFI-QDA codebook (.qdc)."""
    from app.themes.formats import codebook_qdc, codebook_yaml
    codebook, _hash = _codebook_or_exit()
    if fmt == "qdc":
        click.echo(codebook_qdc(codebook, lang), nl=False)  # bytes: UTF-8 as the XML declaration says
    else:
        click.echo(codebook_yaml(codebook), nl=False)


@themes_cli.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_command(path: Path | None) -> None:
    """Check a codebook file (default: the database's codebook) for keywords whose stem also matches
    other words, and keywords shared by two themes; print each as file:line: message, exit 1 if any."""
    from analysis.text.check import check_codebook, keyword_lines
    from analysis.themes import Codebook, CodebookError
    if path is None:
        codebook, _hash = _codebook_or_exit()
        source, lines = "codebook (database)", {}
    else:
        try:
            codebook = Codebook.from_yaml(path)
        except CodebookError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        source, lines = str(path), keyword_lines(path.read_text(encoding="utf-8"))
    problems = check_codebook(codebook)
    for problem in problems:
        line = lines.get((problem.themes[0], problem.lang))
        click.echo(f"{source}:{line}: {problem.message()}" if line else f"{source}: {problem.message()}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(codebook.themes)} themes", err=True)
        sys.exit(1)
    click.echo(f"{source}: ok ({len(codebook.themes)} themes, {len(codebook.languages)} languages, "
               "no stem collisions, no keyword in two themes)")
