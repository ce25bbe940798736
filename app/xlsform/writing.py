"""Write an imported XLSForm: `surveys/<slug>.yaml` and its texts into each language's gettext catalog.

Everything is built and checked in memory first; files are written only when all of it is good,
each through a temporary file and a rename, so a refused import leaves nothing behind.

A language with no catalog yet (``label::Kiswahili (sw)``) gets one, as ``pybabel init`` would make
it from translations/messages.pot: the form's texts translated, the interface's strings waiting for
a translator. Someone who brings a Swahili form expects Swahili respondents to read it in
Swahili; dropping the texts would lose the form's own translations. The report says so, and
`flask --app wsgi translations coverage` shows what is left to translate.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from app.surveydef.parse import parse_survey_text
from app.surveydef.texts import survey_texts
from app.surveys.loader import check_files, survey_files
from app.xlsform.assemble import survey_yaml
from app.xlsform.importing import Imported, Issue


class ImportRefused(Exception):
    """The import cannot go ahead; `lines` say why, one finding per line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass
class Written:
    """What an import wrote, for the report."""
    path: Path
    pages: int
    questions: int
    language: str
    catalogs: list[tuple[str, int, Path, bool]] = field(default_factory=list)  # (code, texts, file, new)
    skipped_languages: list[str] = field(default_factory=list)

    def report(self, imported: Imported) -> list[str]:
        lines = [f"wrote {self.path}: {self.pages} pages, {self.questions} questions, written in {self.language}"]
        for code, count, path, new in self.catalogs:
            lines.append(f"{code}: {count} texts into {path}" + (
                " (a new catalog: the survey is offered in this language; the interface shows in the "
                "source language until its strings are translated, see `translations coverage`)" if new else ""))
        lines.extend(self.skipped_languages)
        if imported.unsupported:
            lines.append(f"not carried over ({len(imported.unsupported)}), also listed at the top of the file:")
            lines.extend(f"  {issue}" for issue in imported.unsupported)
        if imported.notes:
            lines.append("carried over differently:")
            lines.extend(f"  {note}" for note in imported.notes)
        lines.append(f"next: flask --app wsgi surveys check {self.path} && flask --app wsgi surveys load")
        if self.catalogs:
            lines.append("the app compiles the catalogs when it starts: restart it to serve the new translations")
        return lines


def header(source_name: str, issues: list[Issue]) -> list[str]:
    lines = [f"Imported from the XLSForm {source_name} by `flask --app wsgi surveys import-xlsform`.",
             "Keys and choice values are stable ids: change labels freely, never rename a key."]
    if issues:
        lines += ["", "Not carried over (sheet:row: what and why):"] + [f"  {issue}" for issue in issues]
    return lines


def write_import(imported: Imported, source_name: str, surveys_dir: Path, translations_dir: Path, *,
                 skip_unsupported: bool = False, replace: bool = False) -> Written:
    """Check, then write the survey file and catalogs; raise ImportRefused (nothing written) if not."""
    if imported.unsupported and not skip_unsupported:
        raise ImportRefused([str(issue) for issue in imported.unsupported] + [
            f"{len(imported.unsupported)} things cannot be carried over; nothing was written. Run again with "
            "--skip-unsupported to import the rest (the list goes into the file as comments)."])
    survey = imported.survey
    if not survey["pages"]:
        raise ImportRefused([str(issue) for issue in imported.unsupported] + [
            "no question could be carried over; nothing was written"])
    text = survey_yaml(survey, header(source_name, imported.unsupported))
    target = Path(surveys_dir) / f"{survey['slug']}.yaml"
    _check_target(target, survey["slug"], replace)
    definition = parse_survey_text(text, str(target))
    planned, skipped = [], []
    for code in sorted(imported.translations):
        if code == imported.source_language:
            continue
        catalog, new = _catalog(Path(translations_dir), code)
        if catalog is None:
            skipped.append(f"{code}: the form's texts in this language were not written: it is not a language "
                           "code Babel knows")
            continue
        count = _add_texts(catalog, definition, imported.translations[code])
        planned.append((code, count, catalog, new))
    files = [(target, text.encode("utf-8"))]
    written = Written(target, len(definition.pages), len(definition.questions), imported.source_language,
                      skipped_languages=skipped)
    for code, count, catalog, new in planned:  # every file's bytes made before the first is written
        path = Path(translations_dir) / code / "LC_MESSAGES" / "messages.po"
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0, sort_by_file=True, ignore_obsolete=True)
        files.append((path, buffer.getvalue()))
        written.catalogs.append((code, count, path, new))
    for path, data in files:
        _write_atomic(path, data)
    return written


def _check_target(target: Path, slug: str, replace: bool) -> None:
    if target.exists() and not replace:
        raise ImportRefused([f"{target} exists; nothing was written. Pass --replace to write over it "
                             "(a new version when loaded), or --slug to import under another name."])
    if target.parent.is_dir():
        good, _bad = check_files([p for p in survey_files(target.parent) if p != target])
        for path, other in good:
            if other.slug == slug:
                raise ImportRefused([f"{path} already has the slug '{slug}'; nothing was written. "
                                     "Pass --slug to import under another name."])


def _catalog(translations_dir: Path, code: str) -> tuple[Catalog | None, bool]:
    path = translations_dir / code / "LC_MESSAGES" / "messages.po"
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return None, False
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=code), False
    template = translations_dir / "messages.pot"
    if template.exists():
        with template.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        catalog.locale = Locale.parse(code)
        catalog.project = "Common Ground"
        catalog.fuzzy = False
        return catalog, True
    return Catalog(locale=code, project="Common Ground", fuzzy=False), True


def _add_texts(catalog: Catalog, survey, translations: dict[str, str]) -> int:
    """Put each translated text of `survey` into `catalog` under its context; return how many."""
    count = 0
    for context, source in survey_texts(survey):
        translated = translations.get(context.split(":", 1)[1])
        if not translated:
            continue
        existing = catalog.get(source, context=context)
        if existing is not None:
            # pyxform reads no-break spaces (French « ? ») as spaces: keep the catalog's typography
            if existing.string.replace("\xa0", " ").replace("\u202f", " ") != translated:
                existing.string = translated
            existing.flags.discard("fuzzy")
        else:
            catalog.add(source, string=translated, context=context,
                        locations=[(f"surveys/{survey.slug}.yaml", 1)])
        count += 1
    return count


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
