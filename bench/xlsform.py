"""Benchmark: importing a large XLSForm (300 questions in 5 languages by default).

Generates the form with openpyxl (30 field-list pages of 10 questions: choices, numbers with
bounds, text, dates, rankings, skip logic on every third question, labels, hints and choices in
en, es, fr, sw and ar), then times, in the same run:

- **pyxform alone** (the baseline): reading the workbook and building its XForm, which the import
  does first to have pyxform's own checks;
- **import**: the same plus our mapping, the YAML text and its `surveys check`;
- **import and write**: the same plus writing surveys/S.yaml and the four catalogs (into a
  temporary copy of translations/).

Prints seconds (best of --repeat runs) and questions/s for each, and our share on top of pyxform.

    python bench/xlsform.py [--questions 300] [--repeat 3]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from openpyxl import Workbook  # noqa: E402

LANGUAGES = [("en", "English"), ("es", "Spanish"), ("fr", "French"), ("sw", "Swahili"), ("ar", "Arabic")]
PER_PAGE = 10
CHOICES_PER_LIST = 5
KINDS = ("select_one", "select_multiple", "integer", "decimal", "text", "date", "rank", "select_one",
         "integer", "text")


def _texts(text: str) -> list[str]:
    return [f"{text} [{code}]" if code != "en" else text for code, _name in LANGUAGES]


def generate(path: Path, questions: int) -> None:
    """Write a `questions`-question XLSForm in five languages to `path`."""
    columns = [f"label::{name} ({code})" for code, name in LANGUAGES]
    hints = [f"hint::{name} ({code})" for code, name in LANGUAGES]
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", *columns, *hints, "required", "relevant", "constraint"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *columns])
    lists = max(1, questions // 15)
    for n in range(lists):
        for c in range(CHOICES_PER_LIST):
            choices.append([f"list_{n}", f"c{c}", *_texts(f"Option {c} of list {n}")])
    previous: dict[str, str] = {}
    for index in range(questions):
        if index % PER_PAGE == 0:
            if index:
                survey.append(["end group"])
            page = index // PER_PAGE
            survey.append(["begin group", f"page_{page}", *_texts(f"Page {page}"),
                           *[None] * len(hints), None, None, None])
        kind = KINDS[index % len(KINDS)]
        name = f"q{index}"
        listed = f" list_{index % lists}" if kind in ("select_one", "select_multiple", "rank") else ""
        relevant = None
        if index % 3 == 2 and previous.get("select_one"):
            relevant = f"${{{previous['select_one']}}} = 'c1' or ${{{previous['select_one']}}} = ''"
        elif index % 3 == 2 and previous.get("integer"):
            relevant = f"${{{previous['integer']}}} > 2"
        constraint = {"integer": ". >= 0 and . <= 120", "select_multiple": "count-selected(.) <= 3",
                      "text": "string-length(.) <= 500"}.get(kind)
        survey.append([f"{kind}{listed}", name, *_texts(f"Question {index}?"),
                       *_texts(f"Hint {index}"), "yes" if index % 4 == 0 else None, relevant, constraint])
        previous[kind] = name
    survey.append(["end group"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Benchmark form", "bench_form", "English (en)"])
    book.save(path)


def _best(func, repeat: int) -> tuple[object, float]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return result, best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from pyxform.builder import create_survey_element_from_dict
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    from app.xlsform.assemble import survey_yaml
    from app.xlsform.importing import import_xlsform
    from app.xlsform.writing import header, write_import

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        form = tmp / "bench_form.xlsx"
        generate(form, args.questions)

        def pyxform_alone():
            definition = get_xlsform(str(form))
            create_survey_element_from_dict(workbook_to_json(definition)).to_xml(validate=False)

        def import_only():
            imported = import_xlsform(form)
            survey_yaml(imported.survey, header(form.name, imported.unsupported))
            return imported

        def import_and_write():
            surveys = tmp / "surveys"
            shutil.rmtree(surveys, ignore_errors=True)
            surveys.mkdir()
            catalogs = tmp / "translations"
            shutil.rmtree(catalogs, ignore_errors=True)
            shutil.copytree(REPO / "translations", catalogs)
            return write_import(import_xlsform(form), form.name, surveys, catalogs, replace=True)

        _result, baseline = _best(pyxform_alone, args.repeat)
        imported, mapped = _best(import_only, args.repeat)
        written, total = _best(import_and_write, args.repeat)

    n = args.questions
    languages = 1 + len(imported.translations)
    print(f"XLSForm import: {n} questions, {languages} languages, {written.pages} pages, "
          f"{sum(len(t) for t in imported.translations.values())} translated texts "
          f"(best of {args.repeat})")
    print(f"  pyxform alone (baseline) {baseline:8.3f} s  {n / baseline:8.0f} questions/s")
    print(f"  import                   {mapped:8.3f} s  {n / mapped:8.0f} questions/s  "
          f"(+{100 * (mapped - baseline) / baseline:.0f}% on pyxform)")
    print(f"  import and write         {total:8.3f} s  {n / total:8.0f} questions/s  "
          f"(yaml + {len(written.catalogs)} catalogs)")
    if imported.unsupported:
        print(f"  unexpected: {len(imported.unsupported)} things not carried over", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
