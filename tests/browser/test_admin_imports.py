"""An admin at a 1024 px tablet: a stakeholder file with a bad row is refused with its message,
the fixed file is previewed and applied and shows in the registry; a baseline cell is edited in
the table and its total follows."""
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import PopulationBaseline
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

TABLET = {"width": 1024, "height": 768}
EMAIL = "admin@example.org"
HEADER = "id,name,sector,kind,neighbourhood\n"
GOOD_ROW = "zz_library,Riverton Library,education,library,old_town\n"
BAD_ROW = "zz_choir,Gospel Choir,churh,choir,eastfield\n"


@pytest.fixture(scope="module")
def server(live_server):
    """The registry, and the demo's population baselines added (no answers: this journey needs none)."""
    from app.demo import _seed_baseline
    app = live_server[0]
    with app.app_context():
        _seed_baseline()
        db.session.commit()
    make_user(app, "admin", EMAIL)
    return live_server


@pytest.fixture
def page(server, browser):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    sign_in(page, server[1], EMAIL)
    yield page
    context.close()


def upload(page, content: str, name: str) -> None:
    section = page.locator("section:has(#file-stakeholders)")
    section.locator("#file-stakeholders").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}])
    section.locator("button[type=submit]").click()


def test_an_admin_imports_stakeholders_fixing_a_bad_row(server, page):
    base = server[1]
    page.goto(f"{base}/admin/imports")
    upload(page, HEADER + GOOD_ROW + BAD_ROW, "partners.csv")
    problems = page.locator(".cg-problems")
    assert "partners.csv was not imported: 1 problem." in problems.inner_text()
    assert "row 3: sector 'churh' is not one of nonprofit" in problems.inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-import-refused.png"), full_page=True)
    page.goto(f"{base}/admin/stakeholders")
    assert "Riverton Library" not in page.locator("main").inner_text()  # nothing was imported

    page.goto(f"{base}/admin/imports")
    upload(page, HEADER + GOOD_ROW + BAD_ROW.replace("churh", "faith"), "partners.csv")
    main = page.locator("main")
    assert "Preview of partners.csv" in main.inner_text()
    assert main.locator("tr:has-text('Gospel Choir (zz_choir)') .cg-status").inner_text() == "New"
    page.screenshot(path=str(ARTIFACTS / "admin-import-preview.png"), full_page=True)
    page.click("button:text-is('Apply')")
    assert "The file was applied." in main.inner_text()
    page.click("a:text-is('See the registry')")
    row = page.locator("tr:has-text('Gospel Choir')")
    assert "Faith group" in row.inner_text() and "zz_choir" in row.inner_text()


def test_an_admin_edits_a_baseline_cell(server, page):
    base = server[1]
    page.goto(f"{base}/admin/baselines?place=2024:city")
    age = page.locator("section:has(#d-age_band)")
    assert "✓ Same as the geography's total." in age.locator("tfoot").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-baselines-table.png"), full_page=True)
    age.locator("#c-age_band-65_plus").fill("18500")
    page.click("button:text-is('Save the table')")
    assert "Saved: 1 change." in page.locator("main").inner_text()
    age = page.locator("section:has(#d-age_band)")
    assert "500 more than the geography's total of 120,000." in age.locator("tfoot").inner_text()
    with server[0].app_context():
        assert db.session.scalar(sa.select(PopulationBaseline.population).where(
            PopulationBaseline.geography == "city", PopulationBaseline.category == "65_plus")) == 18500

    age.locator("#c-age_band-18_24").fill("lots")
    page.click("button:text-is('Save the table')")
    cell = page.locator("#c-age_band-18_24-error")
    assert cell.inner_text() == "Enter a whole number of people, 0 or more."
    assert re.search(r"Nothing was saved", page.locator(".cg-problems").inner_text())
    page.locator("#c-age_band-18_24").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "admin-baselines-error.png"))
