"""Script, markup and spreadsheet formulas typed into the registry or a baseline are inert in every
report page and export: escaped in HTML and SVG, quoted in CSV and XLSX, plain strings in JSON.
(Free text goes through the themes report: tests/app/themes/test_report.py. The alignment report
shows only choice labels from the survey files, which residents and partners cannot type.)"""
import csv
import io

import pytest
from openpyxl import load_workbook

from app.core.extensions import db
from app.models import PopulationBaseline, Relationship, Stakeholder
from tests.conftest import make_token

MARKUP = '=HYPERLINK("http://x") <script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert("


@pytest.fixture
def hostile(app, surveys):
    with app.app_context():
        db.session.add_all([Stakeholder(id="evil", name=MARKUP, sector="other"),
                            Stakeholder(id="hub", name="Hub Centre", sector="nonprofit")])
        db.session.flush()
        db.session.add(Relationship(source_id="evil", target_id="hub", type="referral", provenance="manual"))
        db.session.add(PopulationBaseline(geography=MARKUP, dimension="age_band", category="65_plus",
                                          population=500, year=2024, source=MARKUP))
        db.session.commit()
    return app


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("url", ["/reports/network", f"/reports/representation?geography={MARKUP}"])
def test_pages_escape_markup(hostile, client, auth, url):
    auth.login("equity_lead")
    html = client.get(url).get_data(as_text=True)
    assert "<script>alert(" not in html and ESCAPED in html


@pytest.mark.parametrize("report", ["network", "representation"])
def test_csv_and_xlsx_quote_formulas(hostile, client, auth, report):
    auth.login("equity_lead")
    query = {"geography": MARKUP} if report == "representation" else {}
    cells = csv_cells(client.get(f"/reports/{report}", query_string={**query, "format": "csv"}).data)
    assert "'" + MARKUP in cells and MARKUP not in cells
    sheet_cells = xlsx_cells(client.get(f"/reports/{report}", query_string={**query, "format": "xlsx"}).data)
    values = [cell.value for cell in sheet_cells]
    assert "'" + MARKUP in values and MARKUP not in values
    assert all(cell.data_type != "f" for cell in sheet_cells)


def test_json_carries_the_text_as_a_string(hostile, client):
    headers = {"Authorization": f"Bearer {make_token(hostile, 'equity_lead')}"}
    response = client.get("/api/v1/reports/network", headers=headers)
    assert b"<script>" not in response.data and response.headers["X-Content-Type-Options"] == "nosniff"
    assert {node["name"] for node in response.get_json()["nodes"]} >= {MARKUP}
