"""`flask --app wsgi surveys import-xlsform`: real XLSForms (pyxform's own examples and a messy one
of ours, tests/data/xlsform/) into survey files and catalogs, compared with what pyxform reads."""
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from app.surveydef.parse import parse_survey_file
from app.xlsform.importing import import_xlsform

REPO = Path(__file__).resolve().parents[3]
FORMS = REPO / "tests" / "data" / "xlsform"

MESSY_YAML = """\
# Imported from the XLSForm messy_households.xlsx by `flask --app wsgi surveys import-xlsform`.
# Keys and choice values are stable ids: change labels freely, never rename a key.
#
# Not carried over (sheet:row: what and why):
#   survey:6: constraint '. < ${hh_size}' is not carried over in full: . < ${hh_size} has no equivalent
#   survey:16: a location (geopoint) has no equivalent question type
#   survey:17: a calculation has no equivalent: our surveys store only what people answer
#   survey:18: choice_filter 'name != ''' is left out: every choice is offered
slug: households-2026
kind: resident
title: Household survey
language: en
consent:
  version: 1
  text: Your answers are used only for this survey, and results are shown only for groups large enough that no one can be recognised. You can stop at any time.
choice_lists:
  yes_no:
    'yes': 'Yes'
    'no': 'No'
  services:
    clinic: A clinic
    food_bank: A food bank
    school: A school
pages:
- key: household
  title: Your household
  questions:
  - key: hh_size
    type: number
    label: How many people live here?
    hint: |-
      These questions are about your home.

      Count yourself too.
    required: true
    min: 1
    max: 30
    integer: true
    constraint_message: From 1 to 30.
  - key: has_children
    type: single_choice
    label: Do children live here?
    choices: yes_no
  - key: children
    type: number
    label: How many children?
    integer: true
    relevant: has_children == 'yes' and hh_size > 1
- key: services
  title: Services
  questions:
  - key: used
    type: multiple_choice
    label: Which services have you used?
    hint: Pick up to two.
    choices: services
    max_picks: 2
  - key: other_service
    type: long_text
    label: What else would help?
    relevant: not ('clinic' in used) or (used == null or used == [])
  - key: priorities
    type: ranking
    label: Rank these services
    choices: services
  - key: moved
    type: date
    label: When did you move in?
    relevant: hh_size != 3
- key: page_3
  title: Household survey
  questions:
  - key: again
    type: single_choice
    label: May we ask again next year?
    choices: yes_no
"""
MESSY_UNSUPPORTED = [
    "survey:6: constraint '. < ${hh_size}' is not carried over in full: . < ${hh_size} has no equivalent",
    "survey:16: a location (geopoint) has no equivalent question type",
    "survey:17: a calculation has no equivalent: our surveys store only what people answer",
    "survey:18: choice_filter 'name != ''' is left out: every choice is offered",
]


@pytest.fixture
def places(app, tmp_path):
    """An empty surveys folder for the app, and a copy of the catalogs to write into."""
    surveys = tmp_path / "surveys"
    surveys.mkdir()
    app.config["SURVEYS_DIR"] = str(surveys)
    catalogs = tmp_path / "translations"
    shutil.copytree(REPO / "translations", catalogs)
    return surveys, catalogs


def run_import(runner, catalogs, name, *extra):
    return runner.invoke(args=["surveys", "import-xlsform", str(FORMS / name), "--translations", str(catalogs),
                               *extra])


def catalog(catalogs, lang):
    with (catalogs / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_messy_form_imports_with_its_translations(runner, places):
    surveys, catalogs = places
    result = run_import(runner, catalogs, "messy_households.xlsx", "--skip-unsupported")
    assert result.exit_code == 0, result.output
    written = surveys / "households-2026.yaml"
    assert written.read_text(encoding="utf-8") == MESSY_YAML
    assert runner.invoke(args=["surveys", "check", str(written)]).exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"wrote {written}: 3 pages, 8 questions, written in en"
    assert lines[1] == f"fr: 19 texts into {catalogs / 'fr/LC_MESSAGES/messages.po'}"
    assert lines[2].startswith(f"sw: 21 texts into {catalogs / 'sw/LC_MESSAGES/messages.po'} (a new catalog")
    assert lines[4:8] == [f"  {line}" for line in MESSY_UNSUPPORTED]
    assert "  survey:3: the note is shown with the hint of question 'hh_size'" in lines
    assert "  choices:6: the choice 'food-bank' is the value 'food_bank'" in lines
    assert lines[-1] == "the app compiles the catalogs when it starts: restart it to serve the new translations"
    french, swahili = catalog(catalogs, "fr"), catalog(catalogs, "sw")
    assert french.get("How many people live here?", context="households-2026:hh_size.label").string == \
        "Combien de personnes vivent ici ?"
    assert french.get("A food bank", context="households-2026:used.choice.food_bank").string == \
        "Une banque alimentaire"
    # the note has a French text but the English hint under it has none: no half-French hint
    assert french.get("These questions are about your home.\n\nCount yourself too.",
                      context="households-2026:hh_size.hint") is None
    assert str(swahili.locale) == "sw" and swahili.project == "Common Ground"
    assert swahili.get("From 1 to 30.", context="households-2026:hh_size.constraint_message").string == \
        "Kuanzia 1 hadi 30."
    assert swahili.get("Which services have you used?", context="households-2026:used.label").string == \
        "Umetumia huduma zipi?"
    # the new catalog is a whole one, as `pybabel init` makes it: the interface's strings wait for a translator
    assert swahili.get("Next") is not None and swahili.get("Next").string == ""


def test_unsupported_rows_stop_the_import_and_nothing_is_written(runner, places):
    surveys, catalogs = places
    before = (catalogs / "fr/LC_MESSAGES/messages.po").read_bytes()
    result = run_import(runner, catalogs, "messy_households.xlsx")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == MESSY_UNSUPPORTED + [
        "4 things cannot be carried over; nothing was written. Run again with --skip-unsupported to import "
        "the rest (the list goes into the file as comments)."]
    assert list(surveys.iterdir()) == []
    assert (catalogs / "fr/LC_MESSAGES/messages.po").read_bytes() == before
    assert not (catalogs / "sw").exists()


def test_a_form_pyxform_refuses_gets_its_message_with_sheet_and_row(runner, places):
    surveys, catalogs = places
    result = run_import(runner, catalogs, "rejected.xlsx", "--skip-unsupported")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "rejected.xlsx: survey:3: [row : 3] List name not in choices sheet: colours",
        "pyxform refused the form; nothing was written"]
    assert list(surveys.iterdir()) == []


def test_a_file_that_is_no_workbook_is_refused(runner, places, tmp_path):
    surveys, catalogs = places
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"not a spreadsheet")
    result = runner.invoke(args=["surveys", "import-xlsform", str(bogus), "--translations", str(catalogs)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("notes.xlsx: Argument 'definition' was not recognized")
    assert list(surveys.iterdir()) == []


def test_a_form_made_only_of_a_repeat_has_nothing_to_import(runner, places):
    surveys, catalogs = places
    result = run_import(runner, catalogs, "tutorial.xls", "--skip-unsupported")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "survey:2: repeat 'member' (10 questions left out): answers given once per person or item have no "
        "equivalent in our surveys",
        "no question could be carried over; nothing was written"]
    assert list(surveys.iterdir()) == []


def test_an_existing_survey_file_is_not_written_over_without_replace(runner, places):
    surveys, catalogs = places
    assert run_import(runner, catalogs, "text_and_integer.xls").exit_code == 0
    again = run_import(runner, catalogs, "text_and_integer.xls")
    assert again.exit_code == 1
    assert again.stderr.startswith(f"{surveys / 'text-and-integer.yaml'} exists; nothing was written.")
    assert run_import(runner, catalogs, "text_and_integer.xls", "--replace").exit_code == 0
    (surveys / "text-and-integer.yaml").rename(surveys / "ages.yaml")
    other = run_import(runner, catalogs, "text_and_integer.xls", "--replace")
    assert other.exit_code == 1  # the same slug in another file is refused too
    assert other.stderr.startswith(f"{surveys / 'ages.yaml'} already has the slug 'text-and-integer'")
    assert run_import(runner, catalogs, "text_and_integer.xls", "--slug", "Ages!").stderr == \
        "--slug 'Ages!' must be lowercase letters, digits and hyphens\n"


def test_xls_file_with_lowercase_language_header(runner, places):
    surveys, catalogs = places
    result = run_import(runner, catalogs, "text_and_integer.xls")
    assert result.exit_code == 0, result.output
    assert (surveys / "text-and-integer.yaml").read_text() == """\
# Imported from the XLSForm text_and_integer.xls by `flask --app wsgi surveys import-xlsform`.
# Keys and choice values are stable ids: change labels freely, never rename a key.
slug: text-and-integer
kind: resident
title: text_and_integer
language: en
consent:
  version: 1
  text: Your answers are used only for this survey, and results are shown only for groups large enough that no one can be recognised. You can stop at any time.
pages:
- key: page_1
  title: text_and_integer
  questions:
  - key: your_name
    type: short_text
    label: What is your name?
  - key: your_age
    type: number
    label: How many years old are you?
    integer: true
"""


def test_upper_case_headers_and_settings(runner, places):
    surveys, catalogs = places
    result = run_import(runner, catalogs, "case_insensitivity.xlsx", "--skip-unsupported")
    assert result.exit_code == 0, result.output
    text = (surveys / "yesno.yaml").read_text()
    assert text.split("slug:")[0].splitlines()[-2:] == [
        "#   survey:3: external choices (select_one_external) have no equivalent",
        "#   survey:4: an OpenStreetMap question has no equivalent"]
    assert text.split("pages:\n")[1] == """\
- key: page_1
  title: Yes or no
  questions:
  - key: q1
    type: single_choice
    label: Are you good?
    choices:
      n1_c: l1-c
      n2_c: l2-c
"""
    assert "title: Yes or no\nlanguage: en\n" in text  # form_title and DEFAULT_LANGUAGE: EN


def test_several_languages_from_pyxforms_spec_form():
    imported = import_xlsform(FORMS / "xlsform_spec_test.xlsx")
    assert imported.source_language == "en"
    assert imported.translations == {"zh_Hans": {
        "skip_to_end.choice.yes": "是", "skip_to_end.choice.no": "没有", "address.label": "您好",
        "text_image_audio_video_test.label": "您好", "autocomplete_test.choice.yes": "是",
        "autocomplete_test.choice.no": "没有", "autocomplete_chars_test.choice.yes": "是",
        "autocomplete_chars_test.choice.no": "没有"}}
    assert [str(issue) for issue in imported.unsupported][:8] == [
        "survey:5: a text that shows an earlier answer (${…}) is not carried over: it would show the ${…} as written",
        "survey:6: the hint has no en text (only zh_Hans): a translation needs its source text",
        "survey:7: a note shown only under a condition: it becomes hint text, shown always",
        "survey:9: media on this question (image, audio or video) is not carried over",
        "survey:10: media on a note (image, audio or video) is not carried over",
        "survey:14: constraint '. <= ${a_integer}' is not carried over in full: . <= ${a_integer} has no equivalent",
        "survey:15: repeat 'repeat_test' (8 questions left out): answers given once per person or item have no "
        "equivalent in our surveys",
        "survey:30: an acknowledge (OK) question has no equivalent question type"]
    pages = [(p["key"], [q["key"] for q in p["questions"]]) for p in imported.survey["pages"]]
    assert pages == [("page_1", ["skip_to_end"]),
                     ("everything", ["my_name", "address", "text_image_audio_video_test", "autocomplete_test",
                                     "autocomplete_chars_test", "a_integer", "a_decimal", "date_test", "q_1",
                                     "q_false"]),
                     ("page_3", ["launch"])]
    everything = imported.survey["pages"][1]["questions"]
    assert {q.get("relevant") for q in everything} == {"not (skip_to_end == 'yes')"}


def _pyxform_questions(children, found):
    for element in children:
        if element.get("type") == "repeat" or element.get("control", {}).get("bodyless"):
            continue
        if element.get("type") == "group":
            _pyxform_questions(element.get("children", []), found)
        else:
            found[element["name"]] = element
    return found


def _source(value):
    return value if isinstance(value, str) else next(iter(value.values()))


@pytest.mark.parametrize("name", ["group.xlsx", "field-list.xlsx", "specify_other.xlsx", "yes_or_no_question.xlsx",
                                  "text_and_integer.xls", "xlsform_spec_test.xlsx", "case_insensitivity.xlsx"])
def test_every_question_carried_over_says_what_pyxform_reads(name):
    """Each question we keep has pyxform's name (as a key), label and choices, in pyxform's order."""
    definition = get_xlsform(str(FORMS / name))
    theirs = _pyxform_questions(workbook_to_json(definition)["children"], {})
    imported = import_xlsform(FORMS / name)
    ours = [q for page in imported.survey["pages"] for q in page["questions"]]
    assert ours, name
    names = list(theirs)
    positions = []
    for q in ours:
        element = next(e for n, e in theirs.items() if n.lower().replace("-", "_").lstrip("_") in
                       (q["key"], q["key"].removeprefix("q_")))
        positions.append(names.index(element["name"]))
        if "label" in element and "${" not in str(element["label"]):
            assert q["label"] == _source(element["label"]), (name, q["key"])
        if "choices" in q and isinstance(q["choices"], dict):
            assert [_source(c["label"]) if "label" in c else c["name"] for c in element["choices"]] == \
                [c if isinstance(c, str) else c["label"] for c in q["choices"].values()]
    assert positions == sorted(positions)


def test_written_survey_loads(runner, places):
    surveys, catalogs = places
    assert run_import(runner, catalogs, "messy_households.xlsx", "--skip-unsupported").exit_code == 0
    survey = parse_survey_file(surveys / "households-2026.yaml")
    assert [q.type for q in survey.questions] == [
        "number", "single_choice", "number", "multiple_choice", "long_text", "ranking", "date", "single_choice"]
    result = runner.invoke(args=["surveys", "load", str(surveys)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("households-2026: version 1 (new version)")


def _form(tmp_path, survey_rows, settings=None):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey_rows:
        sheet.append(row)
    if settings:
        book.create_sheet("settings").append(list(settings))
        book["settings"].append(list(settings.values()))
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def test_unnamed_label_column_is_taken_as_english_and_said_so(tmp_path):
    path = _form(tmp_path, [["type", "name", "label", "label::Kiswahili (sw)", "label::Klingon"],
                            ["text", "name", "Your name?", "Jina lako?", "pong?"]])
    imported = import_xlsform(path)
    assert imported.source_language == "en"
    assert imported.translations == {"sw": {"name.label": "Jina lako?"}}
    assert [str(issue) for issue in imported.unsupported] == [
        "survey:1: the language 'Klingon' has no code we can tell; its texts were left out "
        "(write the header as label::Klingon (code))"]
    assert "the columns with no language are taken as en; set default_language on the settings sheet to say " \
        "otherwise" in imported.notes


def test_default_language_by_name_makes_the_survey_language(tmp_path):
    path = _form(tmp_path, [["type", "name", "label::French", "label::English"],
                            ["integer", "age", "Quel âge avez-vous ?", "How old are you?"]],
                 settings={"form_id": "ages", "default_language": "French"})
    imported = import_xlsform(path)
    assert imported.source_language == "fr"
    assert imported.survey["slug"] == "ages"
    assert imported.survey["pages"][0]["questions"][0]["label"] == "Quel âge avez-vous ?"
    assert imported.translations == {"en": {"age.label": "How old are you?"}}
