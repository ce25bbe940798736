"""`flask --app wsgi export focus-groups --format json|csv`: sessions with everything recorded,
withdrawn participants and their words and votes left out."""
import csv
import io
import json

from tests.app.focus_groups.helpers import api_contribution, withdraw_p2


def export(runner, fmt):
    result = runner.invoke(args=["export", "focus-groups", "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_export(runner, filled):
    sessions = json.loads(export(runner, "json"))
    assert len(sessions) == 1
    s = sessions[0]
    assert (s["id"], s["lang"], s["host"], s["survey"], s["survey_version"], s["date"]) == (
        filled["group"], "en", "nga", "community-needs", 1, "2026-04-02")
    assert [p["code"] for p in s["participants"]] == ["P1", "P2", "P3"]
    assert s["participants"][1]["demographics"] == {"age_band": "65_plus", "gender": "man"}
    assert [(c["participant"], c["themes"]) for c in s["contributions"]] == [("P1", ["buses"]), ("P2", ["housing"]),
                                                                             (None, [])]
    assert sorted(m["stakeholder"] for m in s["mentions"]) == ["rfb", "tenants"]
    assert s["relationships"] == [{"source": "tenants", "target": "legal_aid", "type": "referral"}]
    assert s["votes"]["dots"] == {"housing": 6, "jobs": 2}
    assert s["votes"]["rankings"] == [{"participant": "P1", "ranking": ["transport", "housing"]},
                                      {"participant": "P2", "ranking": ["health"]}]


def test_json_export_leaves_out_the_withdrawn(client, runner, filled):
    withdraw_p2(client, filled)
    s = json.loads(export(runner, "json"))[0]
    assert [p["code"] for p in s["participants"]] == ["P1", "P3"]
    assert "The tenants' union helped me." not in [c["text"] for c in s["contributions"]]
    assert [m["stakeholder"] for m in s["mentions"]] == ["rfb"]
    assert [r["participant"] for r in s["votes"]["rankings"]] == ["P1"]
    assert "P2" not in export(runner, "json")


def test_csv_export_one_row_per_record(runner, filled):
    rows = list(csv.DictReader(io.StringIO(export(runner, "csv"))))
    kinds = [r["record"] for r in rows]
    assert kinds.count("session") == 1 and kinds.count("participant") == 3 and kinds.count("contribution") == 3
    assert kinds.count("dot_vote") == 2 and kinds.count("ranking") == 3 and kinds.count("relationship") == 1
    p2 = next(r for r in rows if r["record"] == "participant" and r["participant"] == "P2")
    assert (p2["age_band"], p2["gender"], p2["consent_version"]) == ("65_plus", "man", "1")
    words = next(r for r in rows if r["record"] == "contribution" and r["participant"] == "P1")
    assert (words["text"], words["themes"], words["kind"]) == ("Buses stop at nine.", "buses", "quote")


def test_csv_export_leaves_out_the_withdrawn(client, runner, filled):
    withdraw_p2(client, filled)
    output = export(runner, "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert not [r for r in rows if r["participant"] == "P2"]
    assert "tenants' union helped me" not in output


def test_csv_cells_are_spreadsheet_safe(client, runner, filled):
    api_contribution(client, filled["token"], filled["group"], "=HYPERLINK(\"http://x\")", "P1")
    rows = list(csv.DictReader(io.StringIO(export(runner, "csv"))))
    assert any(r["text"] == "'=HYPERLINK(\"http://x\")" for r in rows)


def test_export_with_no_sessions(runner, surveys):
    assert json.loads(export(runner, "json")) == []


def test_learned_suggestions_are_exported_apart_and_marked(app, runner, filled):
    """A suggestion of the tagger learned from review (coder "learned", app.themes.learning) is
    not a person's theme: it is exported as learned, with its probability."""
    import sqlalchemy as sa

    from app.core.extensions import db
    from app.models import Contribution, ThemeTag
    with app.app_context():
        words = db.session.scalar(sa.select(Contribution.id).where(Contribution.text == "Buses stop at nine."))
        db.session.add_all([ThemeTag(contribution_id=words, theme="transport", coder="learned", status="accepted",
                                     score=0.8312, how="learned"),
                            ThemeTag(contribution_id=words, theme="housing", coder="learned", status="rejected",
                                     score=0.1, how="learned")])
        db.session.commit()
    s = json.loads(export(runner, "json"))[0]
    first = s["contributions"][0]
    assert (first["themes"], first["learned_themes"]) == (["buses"], [{"theme": "transport", "probability": 0.831}])
    assert [c["learned_themes"] for c in s["contributions"][1:]] == [[], []]
    rows = list(csv.DictReader(io.StringIO(export(runner, "csv"))))
    row = next(r for r in rows if r["record"] == "contribution" and r["participant"] == "P1")
    assert (row["themes"], row["learned_themes"]) == ("buses", "transport:0.831")
