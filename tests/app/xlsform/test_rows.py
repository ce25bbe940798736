"""A survey as XLSForm rows: every question type, every language, skip logic as XPath, and
rows that pyxform itself turns into an XForm."""
import pytest
from pyxform.xls2xform import convert

from app.surveydef.model import QUESTION_TYPES
from app.surveydef.parse import parse_survey_text
from app.xlsform.rows import XPathError, language_column, relevant_to_xpath, survey_rows

ALL_TYPES = """
slug: every-type
title: Every type
language: en
intro: Hello.
consent: {version: 2, text: You agree.}
pages:
  - key: one
    title: Page one
    questions:
      - {key: one, type: single_choice, label: Pick one, dimension: gender, required: true,
         choices: {a: A, b: B}}
      - {key: many, type: multiple_choice, label: Pick some, max_picks: 2,
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
      - {key: when, type: date, label: When}
      - {key: ok, type: yes_no, label: "OK?", relevant: "'x' in rank3"}
      - {key: orgs, type: stakeholders, label: Who, relationship: referral, max_picks: 3}
"""


@pytest.fixture
def survey():
    return parse_survey_text(ALL_TYPES)


def _translate(lang, path, source):
    return source if lang == "en" else f"[{lang}] {source}"


def _rows(survey, languages=("en", "fr", "zh_Hans")):
    return survey_rows(survey, languages=list(languages), translate=_translate, version="1-0000abcd",
                       stakeholders=[("org-1", "Food bank"), ("org.2", "Library")],
                       yes_no_labels={"fr": ("Oui", "Non")})


def _by_name(rows):
    return {row["name"]: row for row in rows["survey"]}


def test_every_question_type_has_an_xlsform_type(survey):
    assert {q.type for q in survey.questions} == set(QUESTION_TYPES)
    types = {name: row["type"] for name, row in _by_name(_rows(survey)).items()}
    assert types == {
        "_intro": "note", "_consent": "note", "one_page": "end group", "two": "end group",
        "one": "select_one one", "many": "select_multiple many", "agree": "select_one agree",
        "stars": "range", "rank3": "rank rank3", "short": "text", "long": "text", "count": "integer",
        "amount": "decimal", "when": "date", "ok": "select_one yes_no", "orgs": "select_multiple stakeholders",
    }


def test_pages_are_field_list_groups_named_apart_from_questions(survey):
    begins = [row for row in _rows(survey)["survey"] if row["type"] == "begin group"]
    assert [(b["name"], b["cg_page"], b["appearance"]) for b in begins] == [
        ("one_page", "one", "field-list"), ("two", "two", "field-list")]
    assert begins[0]["label::French (fr)"] == "[fr] Page one"


def test_every_language_is_a_label_and_hint_column(survey):
    row = _by_name(_rows(survey))["short"]
    assert row["label::English (en)"] == "Short"
    assert row["label::French (fr)"] == "[fr] Short"
    assert row["label::Chinese (zh-Hans)"] == "[zh_Hans] Short"
    assert row["hint::French (fr)"] == "[fr] A few words"
    assert row["constraint"] == "string-length(.) <= 50"
    assert row["constraint_message::English (en)"] == "Fifty letters at most."
    assert language_column("so") == "Somali (so)"
    assert language_column("xx") == "xx (xx)"


def test_checks_become_constraints_and_extras_ride_in_cg_columns(survey):
    rows = _by_name(_rows(survey))
    assert rows["many"]["constraint"] == ("count-selected(.) <= 2 and "
                                          "not(selected(., 'none') and count-selected(.) > 1)")
    assert rows["count"]["constraint"] == ". >= 0 and . <= 9"
    assert rows["amount"]["constraint"] == ". >= 0.5"
    assert rows["stars"]["parameters"] == "start=1 end=4 step=1"
    assert rows["one"]["required"] == "yes" and rows["one"]["cg_dimension"] == "gender"
    assert rows["rank3"]["cg_rank"] == "2"
    assert rows["orgs"]["cg_relationship"] == "referral" and rows["orgs"]["cg_type"] == "stakeholders"
    assert rows["long"]["appearance"] == "multiline" and rows["agree"]["appearance"] == "likert"
    assert rows["_consent"]["label::French (fr)"] == "[fr] You agree."


def test_choices_sheet_holds_every_list(survey):
    choices = _rows(survey)["choices"]
    lists = {}
    for c in choices:
        lists.setdefault(c["list_name"], []).append(c["name"])
    assert lists == {"one": ["a", "b"], "many": ["a", "b", "none"],
                     "agree": ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"],
                     "rank3": ["x", "y", "z"], "stakeholders": ["org-1", "org.2"], "yes_no": ["yes", "no"]}
    none = next(c for c in choices if c["list_name"] == "many" and c["name"] == "none")
    assert none["cg_exclusive"] == "yes"
    yes = next(c for c in choices if c["list_name"] == "yes_no" and c["name"] == "yes")
    assert (yes["label::French (fr)"], yes["label::English (en)"]) == ("Oui", "Yes")


def test_settings_sheet(survey):
    assert _rows(survey)["settings"] == [{
        "form_title": "Every type", "form_id": "every-type", "version": "1-0000abcd",
        "default_language": "English (en)", "style": "pages", "cg_kind": "resident", "cg_consent_version": "2"}]


def test_pyxform_reads_the_rows_into_an_xform(survey):
    warnings = []
    xform = convert(_rows(survey), warnings=warnings, form_name="data").xform
    # pyxform knows single IANA subtags only; zh-Hans is right BCP 47, and ODK Collect takes it
    assert warnings == ["The following language declarations do not contain valid machine-readable codes: "
                        "Chinese (zh-Hans). Learn more: http://xlsform.org#multiple-language-support"]
    assert '<data id="every-type" version="1-0000abcd">' in xform
    assert 'type="odk:rank"' in xform and 'lang="French (fr)"' in xform
    assert "selected-at( /data/one_page/rank3 , 1) = 'x'" in xform


QUESTIONS = {q.key: q for q in parse_survey_text(ALL_TYPES).questions}


@pytest.mark.parametrize(("ours", "xpath"), [
    ("'a' in many", "selected(${many}, 'a')"),
    ("'a' not in many", "(${many} != '' and not(selected(${many}, 'a')))"),
    ("'x' in rank3", "((count-selected(${rank3}) > 0 and selected-at(${rank3}, 0) = 'x') or "
                     "(count-selected(${rank3}) > 1 and selected-at(${rank3}, 1) = 'x'))"),
    ("one == 'a' or count > 3", "(${one} = 'a' or ${count} > 3)"),
    ("one in ['a', 'b']", "(${one} = 'a' or ${one} = 'b')"),
    ("not (amount <= 2.5)", "not(${amount} <= 2.5)"),
    ("ok", "${ok} = 'yes'"),
    ("ok == false", "${ok} = 'no'"),
    ("short == null", "${short} = ''"),
    ("short != null and count", "(${short} != '' and (${count} != '' and ${count} != 0))"),
    ("1 < count <= 5", "(1 < ${count} and ${count} <= 5)"),
    ("one == \"it's\"", "${one} = \"it's\""),
])
def test_relevance_to_xpath(ours, xpath):
    assert relevant_to_xpath(ours, QUESTIONS) == xpath


@pytest.mark.parametrize("ours", ["'a' in ['a']", "one == 'it\\'s \"x\"'", "stranger == 1"])
def test_relevance_without_an_xpath_form(ours):
    with pytest.raises(XPathError):
        relevant_to_xpath(ours, QUESTIONS)
