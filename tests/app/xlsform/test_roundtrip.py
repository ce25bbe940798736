"""import(export(survey)) gives back the same survey: the shipped surveys through the command line
(every language, catalogs untouched), and every question type and skip-logic form through the rows."""
import io
import itertools
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.surveydef.parse import parse_survey_file, parse_survey_text
from app.surveydef.relevance import parse_expression
from app.xlsform.importing import import_xlsform
from app.xlsform.rows import survey_rows
from app.xlsform.workbook import workbook_bytes
from app.xlsform.writing import write_import

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("slug", ["community-needs", "partner-survey"])
def test_shipped_survey_round_trips_through_the_command_line(runner, surveys, tmp_path, slug):
    exported = runner.invoke(args=["surveys", "export-xlsform", slug])
    assert exported.exit_code == 0, exported.output
    book = load_workbook(io.BytesIO(exported.stdout_bytes))
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [cell.value for cell in book["survey"][1]]
    assert {"label::English (en)", "label::Arabic (ar)", "label::Spanish (es)", "label::French (fr)",
            "label::Somali (so)", "label::Vietnamese (vi)", "label::Chinese (zh-Hans)"} <= set(header)
    form = tmp_path / f"{slug}.xlsx"
    form.write_bytes(exported.stdout_bytes)
    folder, catalogs = tmp_path / "surveys", tmp_path / "translations"
    folder.mkdir()
    shutil.copytree(REPO / "translations", catalogs)
    surveys.config["SURVEYS_DIR"] = str(folder)
    imported = runner.invoke(args=["surveys", "import-xlsform", str(form), "--translations", str(catalogs)])
    assert imported.exit_code == 0, imported.output
    assert parse_survey_file(folder / f"{slug}.yaml").to_dict() == \
        parse_survey_file(REPO / "surveys" / f"{slug}.yaml").to_dict()
    for po in sorted((REPO / "translations").glob("*/LC_MESSAGES/messages.po")):
        # every translation came back as it was, so each catalog is byte for byte the same
        assert (catalogs / po.relative_to(REPO / "translations")).read_bytes() == po.read_bytes(), po


def test_export_of_an_unknown_survey(runner, surveys):
    result = runner.invoke(args=["surveys", "export-xlsform", "nope"])
    assert result.exit_code == 1
    assert result.stderr == "no survey with slug 'nope' is loaded (flask --app wsgi surveys load)\n"


EVERY_TYPE = """
slug: every-type
kind: partner
title: Every type
language: en
intro: Hello.
consent: {version: 2, text: You agree.}
pages:
  - key: one
    title: Page one
    questions:
      - {key: one, type: single_choice, label: Pick one, dimension: gender, required: true, choices: {a: A, b: B}}
      - {key: many, type: multiple_choice, label: Pick some, min_picks: 1, max_picks: 2,
         choices: {a: A, b: B, none: {label: None, exclusive: true}}}
      - {key: agree, type: likert, label: "Agree?"}
      - {key: stars, type: rating, label: Stars, min: 1, max: 4}
      - {key: rank3, type: ranking, label: Rank, rank: 2, choices: {x: X, y: Y, z: Z}}
  - key: two
    title: Page two
    questions:
      - {key: short, type: short_text, label: Short, hint: A few words, max_length: 50,
         constraint_message: Fifty letters at most.}
      - {key: long, type: long_text, label: Long}
      - {key: count, type: number, label: Count, integer: true, min: 0, max: 9}
      - {key: amount, type: number, label: Amount, min: 0.5}
      - {key: when, type: date, label: When, relevant: "count == null"}
      - {key: ok, type: yes_no, label: "OK?", relevant: "'y' in rank3"}
      - {key: orgs, type: stakeholders, label: Who, relationship: referral, max_picks: 3, relevant: "ok == false"}
      - {key: why, type: short_text, label: Why, relevant: "'none' in many or (stars >= 3 and not (one == 'a'))"}
"""
#: Skip-logic forms whose XPath comes back in other words: checked by evaluating both.
EQUIVALENT_ONLY = ["one in ['a', 'b']", "ok", "short != null and one != 'b'", "count", "not ok"]


def _round_trip(survey, tmp_path, translations):
    rows = survey_rows(survey, languages=["en", "fr"], stakeholders=[("food-bank", "Food bank")],
                       translate=lambda code, path, source: translations.get((code, path), source))
    form = tmp_path / "form.xlsx"
    form.write_bytes(workbook_bytes(rows))
    return import_xlsform(form)


def test_every_type_round_trips_exactly(tmp_path):
    survey = parse_survey_text(EVERY_TYPE)
    french = {("fr", "one.label"): "Choisissez-en un", ("fr", "many.choice.none"): "Aucun",
              ("fr", "page.two.title"): "Page deux", ("fr", "consent"): "Vous acceptez."}
    imported = _round_trip(survey, tmp_path, french)
    assert imported.unsupported == []
    folder, catalogs = tmp_path / "surveys", tmp_path / "translations"
    folder.mkdir()
    catalogs.mkdir()
    write_import(imported, "form.xlsx", folder, catalogs)
    assert parse_survey_file(folder / "every-type.yaml").to_dict() == survey.to_dict()
    assert imported.translations == {"fr": {"one.label": "Choisissez-en un", "many.choice.none": "Aucun",
                                            "page.two.title": "Page deux", "consent": "Vous acceptez."}}


def _answers(survey):
    """Every combination of a few answers to the questions the conditions name."""
    grid = {"one": [None, "a", "b"], "ok": [None, True, False], "short": [None, "hi"], "count": [None, 0, 4]}
    for values in itertools.product(*grid.values()):
        yield dict(zip(grid, values))


@pytest.mark.parametrize("condition", EQUIVALENT_ONLY)
def test_skip_logic_comes_back_equivalent(tmp_path, condition):
    why = "relevant: \"'none' in many or (stars >= 3 and not (one == 'a'))\""
    source = EVERY_TYPE.replace(why, f'relevant: "{condition}"')
    survey = parse_survey_text(source)
    imported = _round_trip(survey, tmp_path, {})
    back = next(q for p in imported.survey["pages"] for q in p["questions"] if q["key"] == "why")["relevant"]
    ours, theirs = parse_expression(condition), parse_expression(back)
    for answers in _answers(survey):
        assert ours.evaluate(answers) == theirs.evaluate(answers), (condition, back, answers)
