"""`flask import baseline`: long and census-style tables, every bad row named, all or nothing."""
import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import PopulationBaseline

GOOD = """geography,dimension,category,population,year,source
city,age_band,under_18,2200,2024,Census
city,age_band,18_24,1000,2024,Census
city,age_band,25_44,3000,2024,Census
city,age_band,45_64,2300,2024,Census
city,age_band,65_plus,1500,2024,Census
"""


def stored(app):
    with app.app_context():
        return {(b.geography, b.dimension, b.category): b.population for b in db.session.scalars(sa.select(PopulationBaseline))}


def run(runner, tmp_path, text, *extra, name="baseline.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return runner.invoke(args=["import", "baseline", str(path), *extra])


def test_long_format(runner, surveys, tmp_path):
    result = run(runner, tmp_path, "\ufeff" + GOOD + "\n")
    assert result.exit_code == 0 and "5 created, 0 updated" in result.output
    assert stored(surveys)[("city", "age_band", "45_64")] == 2300
    again = run(runner, tmp_path, GOOD.replace("2300", "2400"))
    assert "0 created, 1 updated, 4 unchanged" in again.output


def test_shares_are_accepted_when_they_sum_to_one(runner, surveys, tmp_path):
    text = "geography,dimension,category,population\ncity,gender,woman,0.51\ncity,gender,man,0.48\ncity,gender,non_binary,0.01\n"
    assert run(runner, tmp_path, text).exit_code == 0
    assert stored(surveys)[("city", "gender", "woman")] == 510_000


def test_every_bad_row_is_reported_and_nothing_stored(runner, surveys, tmp_path):
    text = GOOD + ("city,age_band,ancient,5,2024,x\n"
                   "city,species,cat,5,2024,x\n"
                   "city,gender,woman,-3,2024,x\n"
                   "city,gender,man,lots,2024,x\n"
                   "city,age_band,18_24,1000,2024,Census\n"
                   "town,gender,woman,0.6,2024,x\ntown,gender,man,0.3,2024,x\n")
    result = run(runner, tmp_path, text)
    assert result.exit_code == 1 and "nothing was imported" in result.output
    for expected in ["row 7: category 'ancient' is not a category of age_band",
                     "row 8: dimension 'species' is not used by any survey",
                     "row 9: population -3 is negative", "row 10: population 'lots' is not a number",
                     "row 11: duplicate of row 3", "shares for town, gender sum to 0.900, not 1"]:
        assert expected in result.output, expected
    assert stored(surveys) == {}


def test_missing_column_and_bad_encoding(runner, surveys, tmp_path):
    result = run(runner, tmp_path, "geography,dimension,population\ncity,age_band,5\n")
    assert result.exit_code == 1 and "missing column: category" in result.output
    result = run(runner, tmp_path, GOOD.replace("Census", "Censo é"), encoding="latin-1")
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_census_style_table_with_mapping(runner, surveys, tmp_path):
    (tmp_path / "map.yaml").write_text(
        "geography: NAME\nyear: 2021\nsource: Census DP05\ncolumns:\n"
        "  A0_4: {dimension: age_band, category: under_18}\n  A5_17: {dimension: age_band, category: under_18}\n"
        "  A65: {dimension: age_band, category: \"65_plus\"}\n")
    table = "NAME,A0_4,A5_17,A65,IGNORED\neastfield,100,250,80,9\nhillcrest,\"1,000\",50,300,9\n"
    result = run(runner, tmp_path, table, "--mapping", str(tmp_path / "map.yaml"), name="wide.csv")
    assert result.exit_code == 0, result.output
    data = stored(surveys)
    assert data[("eastfield", "age_band", "under_18")] == 350 and data[("hillcrest", "age_band", "under_18")] == 1050
    assert data[("hillcrest", "age_band", "65_plus")] == 300


def test_census_mapping_errors(runner, surveys, tmp_path):
    (tmp_path / "map.yaml").write_text("geography: NAME\ncolumns:\n  A1: {dimension: age_band, category: 1824}\n  A2: {dimension: age_band, category: under_18}\n")
    result = run(runner, tmp_path, "NAME,A2\nx,5\n", "--mapping", str(tmp_path / "map.yaml"), name="wide.csv")
    assert result.exit_code == 1
    assert "column 'A1' maps to an unknown dimension or category" in result.output and "missing column: A1" in result.output


def test_a_failed_import_is_audited_with_the_file_and_its_problems(runner, surveys, tmp_path):
    from app.models import AuditEvent
    result = run(runner, tmp_path, GOOD + "city,age_band,ancient,5,2024,x\ncity,gender,man,lots,2024,x\n", name="bad.csv")
    assert result.exit_code == 1
    with surveys.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import_failed"))
        assert (event.target, event.details) == ("baseline", {"via": "cli", "file": "bad.csv", "problems": 2})


@pytest.mark.parametrize("text, message", [
    ("geography,dimension,category,population\ncity,age_band\n", "row 2: population '' is not a number"),
    ("geography,dimension,category,population\ncity,age_band,18_24,5,extra\n",
     "row 2: 5 values, but the header names 4 columns"),
    ("geography,dimension,category,population\n\n\ncity,age_band,old,5\n", "row 4: category 'old'"),
    ('geography,dimension,category,population,source\ncity,age_band,18_24,5,"two\nlines"\ncity,age_band,old,5,x\n',
     "row 4: category 'old'"),
    ('geography,dimension,category,population,source\ncity,age_band,old,5,"two\nlines"\n', "row 2: category 'old'"),
])
def test_short_long_and_late_rows_are_named_not_crashed_on(runner, surveys, tmp_path, text, message):
    result = run(runner, tmp_path, text)
    assert result.exit_code == 1 and message in result.output, result.output


def test_a_workbook_is_named_as_such(runner, surveys, tmp_path):
    path = tmp_path / "baseline.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    result = runner.invoke(args=["import", "baseline", str(path)])
    assert result.exit_code == 1 and "this is a spreadsheet workbook, not a CSV file" in result.output
