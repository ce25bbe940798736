"""The command line: setup (idempotent), surveys check/load, export with spreadsheet-safe cells."""
import csv
import io
import json
import shutil

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Response, SurveyVersion
from tests.conftest import SURVEYS_DIR

BROKEN = """\
slug: broken
title: Broken
language: en
consent: {version: 1, text: OK}
pages:
  - title: One
    questions:
      - {key: a, type: essay, label: A}
"""


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_surveys_check_ok(runner):
    result = runner.invoke(args=["surveys", "check", str(SURVEYS_DIR)])
    assert result.exit_code == 0 and "community-needs.yaml: ok (community-needs, 16 questions)" in result.output
    assert result.output.splitlines()[-1] == "all 2 survey files are valid"


def test_surveys_check_one_file_says_so(runner):
    result = runner.invoke(args=["surveys", "check", str(SURVEYS_DIR / "community-needs.yaml")])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "the survey file is valid"


def test_surveys_check_reports_file_and_line(runner, tmp_path):
    (tmp_path / "broken.yaml").write_text(BROKEN)
    result = runner.invoke(args=["surveys", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'broken.yaml'}:8: unknown question type 'essay'" in result.output


def test_surveys_check_missing_path(runner, tmp_path):
    result = runner.invoke(args=["surveys", "check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_load_stores_nothing_when_any_file_is_wrong(runner, app, tmp_path):
    shutil.copy(SURVEYS_DIR / "community-needs.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    result = runner.invoke(args=["surveys", "load", str(tmp_path)])
    assert result.exit_code == 1 and "nothing was loaded" in result.output
    assert count(app, SurveyVersion) == 0


def test_load_makes_a_version_only_when_content_changes(runner, app, tmp_path):
    target = tmp_path / "community-needs.yaml"
    shutil.copy(SURVEYS_DIR / "community-needs.yaml", target)
    assert "version 1 (new version)" in runner.invoke(args=["surveys", "load", str(tmp_path)]).output
    target.write_text(target.read_text() + "\n# a comment changes nothing\n")
    assert "version 1 (unchanged)" in runner.invoke(args=["surveys", "load", str(tmp_path)]).output
    target.write_text(target.read_text().replace("How old are you?", "What is your age?"))
    assert "version 2 (new version)" in runner.invoke(args=["surveys", "load", str(tmp_path)]).output
    assert count(app, SurveyVersion) == 2


def test_setup_with_demo_is_idempotent(empty_app):
    app = empty_app
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup", "--demo"])
    assert first.exit_code == 0, first.output
    assert "420 new resident responses" in first.output
    # It ends with the newcomer's next step: where residents answer, and the first admin.
    assert first.output.rstrip().endswith("flask --app wsgi users create you@example.org --role admin")
    assert "residents answer at http://127.0.0.1:5000/s/community-needs" in first.output
    responses = count(app, Response)
    second = runner.invoke(args=["setup", "--demo"])
    assert second.exit_code == 0 and "0 new resident responses, 0 new partner responses" in second.output
    assert count(app, Response) == responses


def submit(client, answers, sid):
    response = client.post("/api/v1/surveys/community-needs/responses",
                           json={"submission_id": sid, "lang": "en", "answers": answers})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_export_csv_columns_and_formula_escaping(client, runner, surveys):
    submit(client, {"priorities": ["jobs", "health"], "biggest_change": "=HYPERLINK(\"http://x\")",
                    "safety_where": "n/a", "household_size": 3, "recommend": False}, "a" * 32)
    submit(client, {"priorities": ["housing"], "biggest_change": "@SUM(A1) and -1+2"}, "b" * 32)
    result = runner.invoke(args=["export", "responses", "--survey", "community-needs", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:7] == ["response_id", "submission_id", "survey_version", "lang", "channel",
                                 "submitted_at", "consent_version"]
    assert "priorities" in rows[0] and "household_size" in rows[0]
    assert rows[0]["priorities"] == "jobs;health" and rows[0]["recommend"] == "no"
    assert rows[0]["biggest_change"] == "'=HYPERLINK(\"http://x\")"
    assert rows[1]["biggest_change"] == "'@SUM(A1) and -1+2"
    assert rows[0]["household_size"] == "3" and rows[0]["channel"] == "api"


def test_export_json_and_withdrawn_left_out(client, runner, surveys, app):
    first = submit(client, {"priorities": ["jobs"]}, "c" * 32)
    submit(client, {"priorities": ["youth"], "years_here": 7}, "d" * 32)
    with app.app_context():
        db.session.get(Response, first).withdrawn_at = db.func.now()
        db.session.commit()
    result = runner.invoke(args=["export", "responses", "--survey", "community-needs", "--format", "json"])
    rows = json.loads(result.output)
    assert [(r["submission_id"], r["priorities"], r.get("years_here")) for r in rows] == [("d" * 32, ["youth"], 7)]


def test_export_unknown_survey(runner, surveys):
    result = runner.invoke(args=["export", "responses", "--survey", "nope"])
    assert result.exit_code == 1 and "no survey with slug 'nope'" in result.output
