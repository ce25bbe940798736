"""Issue 11, item 6: a printed or exported report stands on its own: the filters applied (as
labels), the date it was made, the data's extent and the method, once per report."""
import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.app.reports.conftest import api, page

REPORTS = ["representation", "themes", "network", "alignment", "partners"]


@pytest.mark.parametrize("report", REPORTS)
def test_every_export_starts_with_what_it_was_computed_from(lead, report):
    rows = list(csv.reader(io.StringIO(page(lead, f"/reports/{report}?format=csv"))))
    assert rows[0] == ["About this report"]
    about = {row[0]: row[1] for row in rows[2:rows.index([])]}
    assert about["Made on"] == dt.date.today().isoformat()
    assert about["Counted"].split(" ")[0].isdigit() and "Data from" in about and about["Method"]
    book = load_workbook(io.BytesIO(lead.get(f"/reports/{report}?format=xlsx").data))
    assert book.sheetnames[0] == "About this report"


def test_the_representation_method_is_stated_once(demo_app, demo_client, lead):
    text = page(lead, "/reports/representation?format=csv&survey=community-needs&respondent_lang=es")
    report = api(demo_app, demo_client, "representation", survey="community-needs", respondent_lang="es")
    method = report["dimensions"][0]["method"]
    assert text.count(method) == 1 and len(report["dimensions"]) == 6
    about = dict(row[:2] for row in csv.reader(io.StringIO(text)) if len(row) >= 2)
    assert about["Survey"] == "Community needs survey" and about["Respondents' language"] == "Español"
    assert about["Counted"] == f"{report['n']} (people)"
    assert report["context"]["first"] >= "2024-09-01" and report["context"]["last"] <= "2026-12-31"  # three yearly waves
    assert ",not_stated," not in text and "No answer" in text
    html = page(lead, "/reports/representation")
    assert html.count(method) == 1 and "About these figures" in html
    assert "1 degrees" not in html and "with 1 degree of freedom" in html  # disability: two groups


def test_the_json_carries_the_context(demo_app, demo_client):
    for report in ("network", "alignment", "partners"):
        context = api(demo_app, demo_client, report)["context"]
        assert context["generated"] == dt.date.today().isoformat() and context["methods"] and context["n"] > 0


@pytest.mark.parametrize("lang", ["es", "ar", "zh_Hans", "vi", "so", "fr"])
def test_every_reports_method_and_count_are_in_the_readers_language(demo_app, demo_client, lang):
    """Issue 11, items 6 and 11: each report's JSON states its method in the reader's language,
    and the count it states is the count it computed from."""
    for report in REPORTS:
        english = api(demo_app, demo_client, report, lang="en")
        translated = api(demo_app, demo_client, report, lang=lang)
        assert translated["context"]["n"] == english["context"]["n"]
        assert translated["context"]["methods"] and all(
            theirs != ours for theirs, ours in zip(translated["context"]["methods"], english["context"]["methods"])
        ), (report, translated["context"]["methods"])
    representation = api(demo_app, demo_client, "representation", lang=lang)
    assert representation["context"]["n"] == representation["n"]
