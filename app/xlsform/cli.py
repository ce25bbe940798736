"""`flask --app wsgi surveys import-xlsform FILE` and `surveys export-xlsform SLUG > FILE.xlsx`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.surveydef.errors import SurveyFileError


@click.command("import-xlsform")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--slug", help="The survey's slug (default: the form_id of the settings sheet, or the file's name).")
@click.option("--skip-unsupported", is_flag=True,
              help="Import what can be carried over; list the rest as comments at the top of the file.")
@click.option("--replace", is_flag=True, help="Write over surveys/SLUG.yaml if it exists.")
@click.option("--translations", "translations_dir", type=click.Path(file_okay=False),
              help="Catalog folder (default: the project's translations/).")
@with_appcontext
def import_xlsform_command(path: str, slug: str | None, skip_unsupported: bool, replace: bool,
                           translations_dir: str | None) -> None:
    """Write surveys/SLUG.yaml and the form's translations from an XLSForm (.xlsx or .xls)."""
    from app.core.i18n import TRANSLATIONS_DIR
    from app.xlsform.importing import import_xlsform
    from app.xlsform.reading import XLSFormRejected  # pyxform: only when a form is imported
    from app.xlsform.writing import ImportRefused, write_import
    if not Path(path).is_file():
        _fail([f"{path}: no such file"])
    if slug is not None and not _good_slug(slug):
        _fail([f"--slug '{slug}' must be lowercase letters, digits and hyphens"])
    try:
        imported = import_xlsform(path, slug)
        written = write_import(imported, Path(path).name, Path(current_app.config["SURVEYS_DIR"]),
                               Path(translations_dir) if translations_dir else TRANSLATIONS_DIR,
                               skip_unsupported=skip_unsupported, replace=replace)
    except XLSFormRejected as exc:
        _fail([str(exc), "pyxform refused the form; nothing was written"])
    except ImportRefused as exc:
        _fail(exc.lines)
    except SurveyFileError as exc:  # the mapping made a file our own check refuses: say so plainly
        _fail([str(exc), "the imported survey does not pass `surveys check`; nothing was written"])
    for line in written.report(imported):
        click.echo(line)


@click.command("export-xlsform")
@click.argument("slug")
@with_appcontext
def export_xlsform_command(slug: str) -> None:
    """The survey's latest version as an XLSForm workbook (every language) on standard output."""
    from app.models import Survey
    from app.xlsform.version_rows import version_rows
    from app.xlsform.workbook import workbook_bytes
    record = Survey.by_slug(slug)
    version = record.latest_version() if record else None
    if version is None:
        _fail([f"no survey with slug '{slug}' is loaded (flask --app wsgi surveys load)"])
    out = sys.stdout.buffer
    if out.isatty():
        _fail(["an .xlsx workbook is not for a terminal: redirect it, e.g. "
               f"flask --app wsgi surveys export-xlsform {slug} > {slug}.xlsx"])
    out.write(workbook_bytes(version_rows(version)))
    out.flush()


def _good_slug(slug: str) -> bool:
    from app.surveydef.parse import SLUG_PATTERN
    return bool(SLUG_PATTERN.match(slug))


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)
