"""The survey loader's errors: one test per kind of mistake, asserting the file and the line."""
import textwrap

import pytest

from app.surveydef import SurveyFileError, parse_survey_file, parse_survey_text
from tests.conftest import SURVEYS_DIR

HEADER = """\
slug: test-survey
title: Test
language: en
consent: {version: 1, text: OK}
"""


def parse(body: str):
    return parse_survey_text(HEADER + textwrap.dedent(body), "surveys/test.yaml")


def errors_of(body: str) -> list[str]:
    with pytest.raises(SurveyFileError) as info:
        parse(body)
    return str(info.value).splitlines()


@pytest.mark.parametrize("path", sorted(SURVEYS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_surveys_parse(path):
    survey = parse_survey_file(path)
    assert survey.questions, path


def test_a_valid_survey_has_typed_questions():
    survey = parse("""\
        pages:
          - title: One
            questions:
              - {key: age, type: single_choice, dimension: age_band, label: Age, choices: {18_24: 18-24, 65_plus: 65+}}
              - {key: mood, type: likert, label: Happy}
              - {key: n, type: number, label: N, integer: true, min: 0, max: 9}
              - {key: later, type: short_text, label: Why, relevant: "n > 3"}
        """)
    age, mood, n, later = survey.questions
    assert age.choice_values == ("18_24", "65_plus") and age.dimension == "age_band"
    assert [c.value for c in mood.choices][0] == "strongly_disagree" and len(mood.choices) == 5
    assert (n.min, n.max, n.integer) == (0, 9, True)
    assert later.relevant == "n > 3" and later.max_length == 200


def test_duplicate_question_key_names_the_line():
    assert errors_of("""\
        pages:
          - title: One
            questions:
              - {key: a, type: short_text, label: A}
              - {key: a, type: short_text, label: B}
        """) == ["surveys/test.yaml:9: duplicate question key 'a'"]


def test_duplicate_yaml_key_names_the_line():
    assert errors_of("""\
        pages:
          - title: One
            title: Two
            questions:
              - {key: a, type: short_text, label: A}
        """) == ["surveys/test.yaml:7: duplicate key 'title'"]


def test_unknown_type_names_the_line():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: essay
                label: A
        """)
    assert lines[0].startswith("surveys/test.yaml:9: unknown question type 'essay'")


def test_missing_choice_list_names_the_line():
    assert errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: single_choice
                label: A
                choices: colours
        """) == ["surveys/test.yaml:11: choice list 'colours' does not exist"]


def test_relevant_naming_a_later_question_is_an_error():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: short_text
                label: A
                relevant: b == 'x'
              - {key: b, type: short_text, label: B}
        """)
    assert lines == ["surveys/test.yaml:11: relevant: 'b == 'x'' names b, which is not an earlier question"]


def test_relevant_naming_an_unknown_question_is_an_error():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - {key: a, type: short_text, label: A, relevant: "nosuch > 1"}
        """)
    assert lines[0].startswith("surveys/test.yaml:8: relevant:") and "nosuch" in lines[0]


def test_relevant_that_is_not_an_expression_is_an_error():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - {key: a, type: short_text, label: A}
              - {key: b, type: short_text, label: B, relevant: "__import__('os').system('x')"}
        """)
    assert lines[0].startswith("surveys/test.yaml:9: relevant:") and "not allowed" in lines[0]


def test_broken_yaml_names_the_line():
    lines = errors_of("""\
        pages:
          - title: One
            questions: [
              {key: a, type: short_text, label: A}
        """)
    assert len(lines) == 1 and lines[0].startswith("surveys/test.yaml:") and "not valid YAML" in lines[0]
    assert int(lines[0].split(":")[1]) >= 7


def test_every_mistake_is_reported_at_once():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - {key: Bad-Key, type: short_text, label: A}
              - {key: b, type: teleport, label: B}
              - {key: c, type: number, label: C, min: 5, max: 1}
        """)
    assert [line.split(":")[1] for line in lines] == ["8", "9", "10"]


def test_choice_values_must_be_stable_ids_and_unique():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: single_choice
                label: A
                choices:
                  Yes Please: Yes
                  ok: OK
        """)
    assert lines == ["surveys/test.yaml:12: choice value 'Yes Please' must be snake_case ASCII (a stable id)"]


def test_yes_and_no_stay_text():
    survey = parse("""\
        pages:
          - title: One
            questions:
              - {key: a, type: single_choice, label: A, choices: {yes: Yes, no: No}}
        """)
    assert [(c.value, c.label) for c in survey.questions[0].choices] == [("yes", "Yes"), ("no", "No")]


def test_options_that_do_not_fit_the_type_are_errors():
    assert errors_of("""\
        pages:
          - title: One
            questions:
              - {key: a, type: short_text, label: A, rank: 2}
        """) == ["surveys/test.yaml:8: 'rank' does not apply to a short_text"]


def test_ranking_more_than_its_choices_is_an_error():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: ranking
                label: A
                rank: 3
                choices: {x: X, y: Y}
        """)
    assert lines == ["surveys/test.yaml:11: cannot rank 3 of 2 choices"]


def test_a_file_that_is_not_a_mapping():
    with pytest.raises(SurveyFileError) as info:
        parse_survey_text("- just\n- a list\n", "surveys/x.yaml")
    assert str(info.value) == "surveys/x.yaml:1: a survey file must be a mapping (slug: …, pages: …)"


def test_missing_consent_and_pages():
    with pytest.raises(SurveyFileError) as info:
        parse_survey_text("slug: x\ntitle: X\nlanguage: en\n", "s.yaml")
    assert str(info.value).splitlines() == [
        "s.yaml:1: 'consent' is required: {version: 1, text: …}",
        "s.yaml:1: 'pages' must be a list with at least one page",
    ]


def test_a_choice_can_be_marked_exclusive_in_mapping_and_list_form():
    survey = parse("""\
        choice_lists:
          services: {clinic: A clinic, none: {label: None of these, exclusive: true}}
        pages:
          - title: One
            questions:
              - {key: a, type: multiple_choice, label: A, choices: services}
              - key: b
                type: multiple_choice
                label: B
                choices:
                  - {value: bus, label: Bus}
                  - {value: nothing, label: Nothing, exclusive: true}
              - {key: c, type: multiple_choice, label: C, choices: {x: X, y: {label: "Y"}}}
        """)
    a, b, c = survey.questions
    assert [(ch.value, ch.label, ch.exclusive) for ch in a.choices] == [
        ("clinic", "A clinic", False), ("none", "None of these", True)]
    assert b.exclusive_values == {"nothing"} and c.exclusive_values == frozenset()
    assert [ch.label for ch in c.choices] == ["X", "Y"]


def test_exclusive_must_be_a_flag_on_a_multiple_choice():
    lines = errors_of("""\
        pages:
          - title: One
            questions:
              - key: a
                type: multiple_choice
                label: A
                choices:
                  none: {label: None, exclusive: "yes", colour: red}
              - key: b
                type: single_choice
                label: B
                choices: {x: X, none: {label: None, exclusive: true}}
              - {key: c, type: multiple_choice, label: C, choices: {none: {exclusive: true}}}
        """)
    assert lines == [
        "surveys/test.yaml:12: unknown key 'colour' in choice 'none'",
        "surveys/test.yaml:12: 'exclusive' of choice 'none' must be true or false",
        "surveys/test.yaml:16: only a multiple_choice question can have an exclusive choice (not a single_choice)",
        "surveys/test.yaml:17: choice 'none' needs a label",
    ]


def test_exclusive_leaves_the_stored_form_of_other_surveys_unchanged():
    """A survey without exclusive choices keeps its content hash: loading it makes no new version."""
    from app.surveydef.model import SurveyDef
    survey = parse_survey_file(SURVEYS_DIR / "partner-survey.yaml")
    stored = survey.to_dict()
    assert all("exclusive" not in c for p in stored["pages"] for q in p["questions"] for c in q["choices"])
    needs = parse_survey_file(SURVEYS_DIR / "community-needs.yaml").to_dict()
    services = next(q for p in needs["pages"] for q in p["questions"] if q["key"] == "services_used")
    assert services["choices"][-1] == {"value": "none", "label": "None of these", "exclusive": True}
    assert SurveyDef.from_dict(needs).question("services_used").exclusive_values == {"none"}


def test_translators_still_get_the_label_of_an_exclusive_choice():
    import io
    from app.surveys.babel_extract import extract_surveys
    found = {msg[0]: msg[1] for _line, _kind, msg, _comments in
             extract_surveys(io.BytesIO((SURVEYS_DIR / "community-needs.yaml").read_bytes()), [], [], {})}
    assert found["community-needs:services_used.choice.none"] == "None of these"
