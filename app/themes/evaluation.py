"""Measuring the tagger against people: a human-coded CSV sample (``flask themes evaluate``) and
the reviewed texts in the database (the themes page). The figures are analysis.themes'
(``evaluate_tags``, ``cross_validate``); this module reads the sample and lays the figures out.

A sample is a CSV file (UTF-8, comma-separated, a header row) with the columns ``text`` and
``themes`` (theme keys separated by ``;``, empty for none) and optionally ``themes_2``, a
second coder's themes of the same texts. Every row is checked before anything is computed.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

#: Column names of a sample.
TEXT, FIRST, SECOND = "text", "themes", "themes_2"
#: Fewest texts a cross-validation fold may hold on the themes page (5 folds of 4 texts).
MIN_FOLD_TEXTS = 4
#: Folds of the cross-validation shown on the themes page and stored with a learned model.
PAGE_FOLDS = 5


class SampleError(ValueError):
    """A sample that cannot be evaluated; ``problems`` lists every reason, row by row."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Sample:
    texts: list[str]
    first: list[set[str]]
    second: list[set[str]] | None


def _themes(cell: str) -> set[str]:
    return {part.strip() for part in (cell or "").split(";") if part.strip()}


def read_sample(data: bytes, codebook) -> Sample:
    """The texts and codings of a sample CSV, or SampleError naming every problem.

    Rows are numbered as a spreadsheet shows them (the header is row 1); blank rows are skipped.
    """
    from app.core.csvtext import NotCsvText, csv_text
    try:
        text = csv_text(data)
    except NotCsvText as exc:
        raise SampleError([exc.message]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise SampleError([f"the file cannot be read as CSV: {exc}"]) from None
    missing = [name for name in (TEXT, FIRST) if name not in columns]
    if missing:
        raise SampleError([f"missing column: {', '.join(missing)} (the columns are text, themes and, "
                           f"for a second coder, themes_2; found: {', '.join(columns) or 'none'})"])
    has_second = SECOND in columns
    problems: list[str] = []
    sample = Sample([], [], [] if has_second else None)
    known = set(codebook.keys)
    try:
        for row in reader:
            number = reader.line_num
            if not any((value or "").strip() for key, value in row.items() if key is not None):
                continue
            body = (row.get(TEXT) or "").strip()
            if not body:
                problems.append(f"row {number}: the text is empty")
            codings = [_themes(row.get(FIRST) or "")] + ([_themes(row.get(SECOND) or "")] if has_second else [])
            for column, themes in zip((FIRST, SECOND), codings):
                unknown = sorted(themes - known)
                if unknown:
                    problems.append(f"row {number}: {column}: {', '.join(unknown)} "
                                    f"{'is not a theme' if len(unknown) == 1 else 'are not themes'} of the codebook")
            sample.texts.append(body)
            sample.first.append(codings[0])
            if has_second:
                sample.second.append(codings[1])
    except csv.Error as exc:
        problems.append(f"row {reader.line_num + 1}: the file cannot be read as CSV: {exc}")
    if not problems and not sample.texts:
        problems.append("the file has a header but no texts")
    if problems:
        raise SampleError(problems)
    return sample


def evaluate_sample(sample: Sample, codebook, lang: str, learn: int | None = None) -> dict:
    """{"tagger": evaluate_tags, "people": ... or None, "learned": cross_validate or None}."""
    from analysis.themes import cross_validate, evaluate_tags, tag
    reference = [codebook.with_parents(s) for s in sample.first]
    tagged = [{m["theme"] for m in tag(text, codebook, lang)} for text in sample.texts]
    result = {"n": len(sample.texts), "tagger": evaluate_tags(reference, tagged, codebook.keys), "people": None,
              "learned": None}
    if sample.second is not None:
        result["people"] = evaluate_tags(reference, [codebook.with_parents(s) for s in sample.second], codebook.keys)
    if learn:
        result["learned"] = cross_validate(codebook, list(zip(sample.texts, sample.first)), lang, learn)
    return result


def used_themes(evaluation: dict, keys) -> list[str]:
    """Themes someone used (in the reference or the coding measured), in codebook order."""
    used = {row["theme"] for row in evaluation["themes"] if row["tp"] + row["fp"] + row["fn"]}
    return [key for key in keys if key in used]


def _cell(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def table_lines(evaluation: dict, keys) -> list[str]:
    """A fixed-width table: one line per theme used, then micro and macro averages."""
    shown = used_themes(evaluation, keys)
    width = max([len(k) for k in shown] + [5])
    lines = [f"{'theme':<{width}}  {'n':>4}  {'precision':>9}  {'recall':>6}  {'F1':>5}  {'kappa':>6}"]
    rows = {row["theme"]: row for row in evaluation["themes"]}
    for key in shown:
        row = rows[key]
        lines.append(f"{key:<{width}}  {row['support']:>4}  {_cell(row['precision']):>9}  {_cell(row['recall']):>6}  "
                     f"{_cell(row['f1']):>5}  {_cell(row['kappa']):>6}")
    micro, macro = evaluation["micro"], evaluation["macro"]
    lines.append(f"{'micro':<{width}}  {'':>4}  {_cell(micro['precision']):>9}  {_cell(micro['recall']):>6}  "
                 f"{_cell(micro['f1']):>5}".rstrip())
    lines.append(f"{'macro':<{width}}  {'':>4}  {_cell(macro['precision']):>9}  {_cell(macro['recall']):>6}  "
                 f"{_cell(macro['f1']):>5}  {_cell(macro['kappa']):>6}")
    return lines


def report_lines(result: dict, codebook) -> list[str]:
    """What ``flask themes evaluate`` prints after its first line."""
    keys = codebook.keys
    lines = ["", "Tagger (codebook) against the first coder (column themes):", *table_lines(result["tagger"], keys)]
    if result["people"] is not None:
        lines += ["", "Second coder (column themes_2) against the first coder:", *table_lines(result["people"], keys)]
    if result["learned"] is not None:
        folds = result["learned"]["folds"]
        lines += ["", f"Learned tagger (codebook + review), {folds}-fold cross-validation, against the first coder:",
                  *table_lines(result["learned"]["learned"], keys)]
    lines += ["", "n: texts the first coder gave the theme. Precision, recall and F1 treat the first coder as right; "
                  "kappa is Cohen's. Micro pools every theme's counts; macro is the mean over the themes shown "
                  "(a dash: undefined, nothing to divide by). Themes no one used are left out."]
    return lines


def reviewed_evaluation(rows: list[dict], codebook, models) -> dict:
    """The same figures for the texts people reviewed (the themes page).

    `rows` are ``queries.codings``: every tag of the reviewed texts in the report's scope. The
    reference is what people accepted (with parents; every theme someone accepted, as the report
    counts), measured against the codebook tagger's themes, on texts in a language the codebook
    covers. `models` are the stored learned models (app.themes.learning), whose cross-validated
    figures cover every reviewed text of their language.
    """
    from analysis.text.normalise import LanguageError, normalise_lang
    from analysis.themes import evaluate_tags
    from app.themes.queries import ACCEPTED, AUTO
    languages = set(codebook.languages)
    items: dict[str, dict] = {}
    for row in rows:
        entry = items.setdefault(row["item"], {"lang": row["lang"], "auto": set(), "people": set()})
        if row["status"] != ACCEPTED or row["theme"] not in codebook:
            continue
        entry["auto" if row["coder"] == AUTO else "people"].add(row["theme"])
    reference, predicted = [], []
    for entry in items.values():
        try:
            supported = normalise_lang(entry["lang"] or "") in languages
        except LanguageError:
            supported = False
        if supported:
            reference.append(codebook.with_parents(entry["people"]))
            predicted.append(entry["auto"])
    learned = [{"lang": m.lang, "examples": m.examples, "trained_at": m.trained_at.isoformat(timespec="minutes"), "folds": m.figures["folds"],
                "codebook": m.figures["codebook"], "learned": m.figures["learned"]}
               for m in models if m.figures]
    return {"n": len(reference), "tagger": evaluate_tags(reference, predicted, codebook.keys) if reference else None,
            "learned": learned, "folds": PAGE_FOLDS}
