"""`flask import stakeholders|relationships FILE.csv`: all or nothing, every problem named by row."""
import datetime as dt

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent
from tests.app.stakeholders.helpers import registry, ties

HEADER = "id,name,sector,kind,neighbourhood\n"
GOOD = HEADER + "rfb,Riverton Food Bank,nonprofit,food bank,eastfield\ncity,City Council,government,,\n"


def write(tmp_path, text: str | bytes, name="file.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return str(path)



def import_file(runner, kind, path):
    return runner.invoke(args=["import", kind, path])


def test_stakeholders_are_created(runner, app, tmp_path):
    result = import_file(runner, "stakeholders", write(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    assert "stakeholders: 2 created, 0 updated" in result.stdout
    assert "created rfb" in result.stdout and "created city" in result.stdout
    assert registry(app) == {"rfb": ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", ""),
                             "city": ("City Council", "government", "", "", "")}


def test_existing_ids_are_updated_and_contact_kept_when_the_column_is_absent(runner, app, tmp_path):
    import_file(runner, "stakeholders", write(tmp_path, HEADER.strip() + ",contact\nrfb,Old name,other,,,jo@rfb.org\n"))
    result = import_file(runner, "stakeholders", write(tmp_path, GOOD))
    assert "stakeholders: 1 created, 1 updated" in result.stdout and "updated rfb" in result.stdout
    assert registry(app)["rfb"] == ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", "jo@rfb.org")


def test_import_is_audited(runner, app, tmp_path):
    import_file(runner, "stakeholders", write(tmp_path, GOOD))
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
        assert (event.target, event.details["created"], event.details["via"]) == ("stakeholders", 2, "cli")


def test_a_failed_import_is_audited_with_the_file_and_its_problems(runner, app, tmp_path):
    result = import_file(runner, "stakeholders", write(tmp_path, HEADER + "abc,ABC,churh,,\n,,,,\nx y,X,other,,\n",
                                                       name="bad.csv"))
    assert result.exit_code == 1
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("import%"))).all()
        assert [(e.action, e.target, e.details["file"].endswith("bad.csv"), e.details["problems"], e.details["via"])
                for e in events] == [("import_failed", "stakeholders", True, 2, "cli")]
    assert registry(app) == {}


def test_bom_blank_lines_and_extra_columns(runner, app, tmp_path):
    text = "\ufeffid,name,sector,kind,neighbourhood,website\n\nrfb,Food Bank,nonprofit,,,x.org\n\n\n"
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert "note: column 'website' is not used and was ignored" in result.stderr
    assert registry(app) == {"rfb": ("Food Bank", "nonprofit", "", "", "")}


def test_semicolon_separated_file_from_a_spreadsheet(runner, app, tmp_path):
    result = import_file(runner, "stakeholders", write(tmp_path, "id;name;sector;kind;neighbourhood\nrfb;Food Bank;nonprofit;;\n"))
    assert result.exit_code == 0, result.output
    assert set(registry(app)) == {"rfb"}


def test_windows_line_endings_and_a_contact_on_two_lines(runner, app, tmp_path):
    text = 'id,name,sector,kind,neighbourhood,contact\r\nrfb,Food Bank,nonprofit,,,"Jo\r\n555 0100"\r\n'
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert registry(app)["rfb"][4] == "Jo\n555 0100"


def test_rows_are_numbered_by_their_first_line(runner, app, tmp_path):
    text = HEADER.strip() + ',contact\nrfb,Food Bank,nonprofit,,,"two\nlines"\nbad,Bad,churh,,,\n'
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert "row 4: sector 'churh'" in result.stderr


@pytest.mark.parametrize("text, message", [
    (HEADER + "rfb,Food Bank,nonprofit,,\nabc,ABC,churh,,\n",
     "row 3: sector 'churh' is not one of nonprofit, government, business, education, health, faith, "
     "resident_association, funder, other"),
    ("id,name,kind,neighbourhood\nrfb,Food Bank,,\n", "missing column: sector"),
    (HEADER + "rfb,Food Bank,nonprofit,,\n\nrfb,Again,nonprofit,,\n", "row 4: id 'rfb' appears again (first on row 2)"),
    (HEADER + "food bank,Food Bank,nonprofit,,\n", "row 2: id 'food bank' must be 1 to 64 letters"),
    (HEADER + "..,Dots,nonprofit,,\n", "row 2: id '..' must contain a letter or a digit"),
    (HEADER + "rfb,,nonprofit,,\n", "row 2: name is required"),
    (HEADER + "rfb,Food Bank,nonprofit,,,,surplus\n", "row 2: 7 values, but the header names 5 columns"),
    (HEADER + "rfb,Food\x00Bank,nonprofit,,\n", "row 2: name contains control characters"),
    (HEADER + f"rfb,{'x' * 201},nonprofit,,\n", "row 2: name is longer than 200 characters"),
    ("id,name,name,sector,kind,neighbourhood\n", "column 'name' appears more than once"),
    ("", "the file is empty"),
])
def test_bad_stakeholder_files_name_the_problem_and_import_nothing(runner, app, tmp_path, text, message):
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "nothing was imported" in result.stderr
    assert registry(app) == {}


def test_non_utf8_file_is_refused_with_its_line(runner, app, tmp_path):
    text = (HEADER + "rfb,Caf\u00e9 Ami,nonprofit,,\n").encode("latin-1")
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert result.exit_code == 1
    assert 'the file is not UTF-8 text (line 2): save it as "CSV UTF-8"' in result.stderr
    assert registry(app) == {}


def test_every_error_is_listed_and_nothing_is_half_applied(runner, app, tmp_path):
    import_file(runner, "stakeholders", write(tmp_path, GOOD))
    before = registry(app)
    text = HEADER + "rfb,Renamed,nonprofit,,\nnew,New Org,other,,\nbad,Bad,churh,,\nworse,,nonprofit,,\n"
    result = import_file(runner, "stakeholders", write(tmp_path, text))
    assert result.exit_code == 1
    assert "row 4: sector 'churh'" in result.stderr and "row 5: name is required" in result.stderr
    assert "2 problem(s): nothing was imported" in result.stderr
    assert registry(app) == before


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = import_file(runner, "stakeholders", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "does not exist" in result.output


REL_HEADER = "source,target,type,weight,date\n"


@pytest.fixture
def registered(runner, app, tmp_path):
    import_file(runner, "stakeholders", write(tmp_path, GOOD + "school,Hill School,education,,\n", "registry.csv"))
    return app


def test_relationships_are_imported_with_defaults(runner, registered, tmp_path):
    text = REL_HEADER + "rfb,city,referral,,2026-03-01\ncity,rfb,funding,2.5,\n"
    result = import_file(runner, "relationships", write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert "relationships: 2 created, 0 updated" in result.stdout
    assert "created rfb -> city (referral, weight 1)" in result.stdout
    assert ties(registered) == [("rfb", "city", "referral", 1.0, dt.date(2026, 3, 1), "import"),
                                ("city", "rfb", "funding", 2.5, None, "import")]


def test_importing_the_same_tie_again_updates_its_weight(runner, registered, tmp_path):
    import_file(runner, "relationships", write(tmp_path, REL_HEADER + "rfb,city,referral,1,2026-03-01\n"))
    result = import_file(runner, "relationships", write(tmp_path, REL_HEADER + "rfb,city,referral,4,2026-03-01\n"))
    assert "relationships: 0 created, 1 updated" in result.stdout
    assert ties(registered) == [("rfb", "city", "referral", 4.0, dt.date(2026, 3, 1), "import")]


@pytest.mark.parametrize("row, message", [
    ("rfb,xyz,referral,1,", "row 3: target 'xyz' is not in the registry"),
    ("nope,city,referral,1,", "row 3: source 'nope' is not in the registry"),
    ("rfb,city,friendship,1,", "row 3: type 'friendship' is not one of referral, shared_data, joint_programme"),
    ("rfb,city,referral,0,", "row 3: weight must be a number more than 0, not '0'"),
    ("rfb,city,referral,-2,", "row 3: weight must be a number more than 0, not '-2'"),
    ("rfb,city,referral,lots,", "row 3: weight 'lots' is not a number"),
    ("rfb,city,referral,nan,", "row 3: weight must be a number more than 0, not 'nan'"),
    ("rfb,city,referral,1,01/03/2026", "row 3: date '01/03/2026' is not a date in the form YYYY-MM-DD"),
    ("rfb,city,referral,1,2026-02-30", "row 3: date '2026-02-30' is not a date in the form YYYY-MM-DD"),
    ("rfb,rfb,referral,1,", "row 3: a stakeholder cannot have a tie with itself ('rfb')"),
    ("city,school,joint_programme,5,", "row 3: the same tie as row 2"),
])
def test_bad_relationship_rows_name_the_problem_and_import_nothing(runner, registered, tmp_path, row, message):
    """Row 2 is good; the bad row 3 stops it being applied too."""
    text = REL_HEADER + "city,school,joint_programme,1,\n" + row + "\n"
    result = import_file(runner, "relationships", write(tmp_path, text))
    assert result.exit_code == 1
    assert message in result.stderr
    assert ties(registered) == []


def test_relationship_ids_must_be_in_the_registry_not_the_same_file(runner, registered, tmp_path):
    text = REL_HEADER + "rfb,newcomer,referral,1,\n"
    result = import_file(runner, "relationships", write(tmp_path, text))
    assert result.exit_code == 1 and "row 2: target 'newcomer' is not in the registry" in result.stderr


def test_relationships_file_missing_a_column(runner, registered, tmp_path):
    result = import_file(runner, "relationships", write(tmp_path, "source,target,weight,date\nrfb,city,1,\n"))
    assert result.exit_code == 1 and "missing column: type" in result.stderr
