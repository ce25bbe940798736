"""`flask --app wsgi themes tag|check|import-codebook|export-codebook`: the codebook and its tags from
the command line (clear errors, exit 1 on failure, nothing changed by a failed import)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.database import refresh_statistics
from app.core.extensions import db

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


@themes_cli.command("evaluate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A codebook YAML file (default: the codebook in the database).")
@click.option("--lang", default="en", show_default=True, help="Language the texts are written in.")
@click.option("--learn", type=click.IntRange(2, 100), default=None, metavar="K",
              help="Also measure the learned tagger by K-fold cross-validation on the sample.")
def evaluate_command(path: Path, codebook_path: Path | None, lang: str, learn: int | None) -> None:
    """Measure the tagger against a human-coded sample (CSV: text, themes[, themes_2]); stores nothing."""
    from analysis.themes import Codebook, CodebookError, LanguageError
    from app.themes.evaluation import SampleError, evaluate_sample, read_sample, report_lines
    if codebook_path is not None:
        try:
            codebook, source = Codebook.from_yaml(codebook_path), codebook_path.name
        except CodebookError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    else:
        codebook, _hash = _codebook_or_exit()
        source = "the database"
    try:
        data = path.read_bytes()
    except OSError as exc:
        click.echo(f"{path}: cannot be read: {exc.strerror or exc}", err=True)
        sys.exit(1)
    try:
        codebook.compiled(lang)
        sample = read_sample(data, codebook)
        if learn is not None and learn > len(sample.texts):
            raise SampleError([f"--learn {learn} needs at least {learn} texts; the sample has {len(sample.texts)}"])
        result = evaluate_sample(sample, codebook, lang, learn)
    except LanguageError as exc:
        click.echo(f"--lang {lang}: {exc}", err=True)
        sys.exit(1)
    except SampleError as exc:
        for problem in exc.problems:
            click.echo(f"{path.name}: {problem}", err=True)
        click.echo("nothing was evaluated", err=True)
        sys.exit(1)
    click.echo(f"{path.name}: {result['n']} texts in {lang}, codebook from {source} ({len(codebook.keys)} themes)")
    for line in report_lines(result, codebook):
        click.echo(line)


@themes_cli.command("learn")
def learn_command() -> None:
    """Train the taggers learned from review now, and store their suggestions (a background task does it too)."""
    from app.themes.learning import learn
    codebook, tag_hash = _codebook_or_exit()
    result = learn(codebook, tag_hash, commit=db.session.commit)
    if not result["languages"]:
        click.echo("no reviewed texts in a language the codebook covers: nothing to learn from yet")
        return
    for lang, done in result["languages"].items():
        learned = ", ".join(done["learned_themes"]) or "none (the codebook decides every theme)"
        click.echo(f"{lang}: learned from {done['examples']} reviewed texts; themes a model decides: {learned}")
    click.echo(f"suggestions written for {result['scored']} texts")


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
