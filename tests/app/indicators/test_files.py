"""Indicator files: `indicators check|load` with file:line errors and versions; bad files change nothing."""
import shutil

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.indicators.parse import IndicatorFileError, parse_indicator_text
from app.models import IndicatorVersion
from app.surveydef import parse_survey_file
from tests.app.indicators.helpers import write_indicator
from tests.conftest import SURVEYS_DIR

SURVEYS = {s.slug: s for s in (parse_survey_file(p) for p in SURVEYS_DIR.glob("*.yaml"))}
GOOD = """\
key: feel_safe
title: Residents who feel safe
unit: percent
polarity: higher_is_better
frequency: year
result: safe_neighbourhoods
source: {survey: community-needs, question: safety_rating, share_of: [4, 5], weighted: false}
disaggregate: [age_band, neighbourhood]
baseline: {period: 2024, value: 0.52}
targets: [{period: 2027, value: 0.65}]
"""


def errors_of(text):
    with pytest.raises(IndicatorFileError) as caught:
        parse_indicator_text(text, "feel_safe.yaml", SURVEYS)
    return str(caught.value).splitlines()


def test_the_issue_example_parses():
    indicator = parse_indicator_text(GOOD, "feel_safe.yaml", SURVEYS)
    assert indicator.source.share_of == ("4", "5") and indicator.disaggregate == ("age_band", "neighbourhood")
    assert indicator.baseline.value == 0.52 and indicator.targets[0].period == "2027"


@pytest.mark.parametrize("old, new, message", [
    ("question: safety_rating", "question: safety_ratin", "feel_safe.yaml:7: unknown question 'safety_ratin' in "
                                                          "survey 'community-needs'"),
    ("share_of: [4, 5]", "share_of: [4, 6]", "feel_safe.yaml:7: share_of: '6' is not an answer of 'safety_rating'"),
    ("[age_band, neighbourhood]", "[age_band, shoe_size]", "feel_safe.yaml:8: unknown dimension 'shoe_size'"),
    ("{period: 2024, value", "{period: 2024-Q1, value", "feel_safe.yaml:9: baseline period '2024-Q1' is not a "
                                                         "year written like 2025"),
    ("{period: 2027, value", "{period: 2023, value", "feel_safe.yaml:10: target period 2023 is not after the "
                                                      "baseline (2024)"),
    ("value: 0.65", "value: 65", "feel_safe.yaml:10: target value 65 is a percent written as a share"),
    ("survey: community-needs", "survey: nobody", "feel_safe.yaml:7: unknown survey 'nobody'"),
    ("frequency: year", "frequency: weekly", "feel_safe.yaml:5: frequency 'weekly' must be one of month, "
                                             "quarter, year"),
    ("share_of: [4, 5], weighted: false", "count: true, weighted: true",
     "feel_safe.yaml:7: a count cannot be weighted"),
    ("key: feel_safe", "key: other", "feel_safe.yaml:1: key 'other' must be the file's name"),
    ("polarity: higher_is_better", "polarity: higher_is_better\ncolour: red", "feel_safe.yaml:5: unknown key 'colour'"),
])
def test_bad_files_name_the_line_and_the_mistake(old, new, message):
    assert any(line.startswith(message) for line in errors_of(GOOD.replace(old, new))), errors_of(
        GOOD.replace(old, new))


def test_a_mean_needs_a_number_question():
    text = GOOD.replace("share_of: [4, 5], weighted: false", "mean: true").replace("safety_rating", "age_band")
    assert "a mean needs a rating or number question; 'age_band' is single_choice" in "\n".join(errors_of(text))


def test_check_and_load_with_versions(surveys, runner, tmp_path):
    folder = tmp_path / "indicators"
    shutil.copytree(SURVEYS_DIR / "indicators", folder)
    result = runner.invoke(args=["indicators", "check", str(folder)])
    assert result.exit_code == 0 and "all 7 indicator files are valid" in result.output
    assert "feel_safe: version 1 (new version)" in runner.invoke(args=["indicators", "load", str(folder)]).output
    assert "feel_safe: version 1 (unchanged)" in runner.invoke(args=["indicators", "load", str(folder)]).output
    path = folder / "feel_safe.yaml"
    path.write_text(path.read_text().replace("value: 0.65", "value: 0.70"))
    assert "feel_safe: version 2 (new version)" in runner.invoke(args=["indicators", "load", str(folder)]).output


def test_a_bad_file_loads_nothing(surveys, runner, tmp_path):
    folder = tmp_path / "indicators"
    folder.mkdir()
    write_indicator(folder, "good", GOOD.split("\n", 1)[1])
    write_indicator(folder, "bad", GOOD.split("\n", 1)[1].replace("frequency: year", "frequency: year\n"
                                                                   "disaggregate: [age_band]"))
    result = runner.invoke(args=["indicators", "load", str(folder)])
    assert result.exit_code == 1
    assert "bad.yaml:" in result.output and "duplicate key 'disaggregate'" in result.output
    assert "nothing was loaded" in result.output
    with surveys.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorVersion)) == 0


def test_check_reports_a_missing_folder(runner, tmp_path):
    result = runner.invoke(args=["indicators", "check", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_the_extractor_gives_translators_every_text_with_its_context():
    from app.surveys.babel_extract import extract_indicators
    with open(SURVEYS_DIR / "indicators" / "feel_safe.yaml", "rb") as handle:
        found = list(extract_indicators(handle, [], [], {}))
    assert [(line, context) for line, _f, (context, _text), _c in found] == [
        (4, "indicator:feel_safe.title"), (5, "indicator:feel_safe.description"),
        (12, "result:safe_neighbourhoods.title")]
    assert found[0][2][1] == "Residents who feel safe in their neighbourhood"
