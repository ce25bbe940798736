"""Shared measurement in a real browser, on the demo: the equity lead opens the scorecard, drills
into an indicator, filters to one group and prints; a partner reports a measure; a resident reads
"you said, we did" in Arabic on a phone with JavaScript off."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import MeasureReport, PartnerMeasure
from app.scorecard.periods import due_date, reportable
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

DESK = {"width": 1280, "height": 900}
TABLET = {"width": 820, "height": 1180}
LEAD, PARTNER = "lead-scorecard@example.org", "food-bank@example.org"


@pytest.fixture(scope="module")
def server(demo_server):
    """The demo server, with an equity lead and the food bank's partner account."""
    make_user(demo_server[0], "equity_lead", LEAD)
    make_user(demo_server[0], "partner", PARTNER, stakeholder_id="rfb")
    return demo_server


def _latest(page, key: str) -> str:
    return page.locator(f'tr[data-indicator="{key}"] td.latest strong').inner_text()


def test_the_equity_lead_turns_the_curve(server, browser):
    app, base = server
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    sign_in(page, base, LEAD)
    page.goto(f"{base}/scorecard/")
    assert page.locator("h2", has_text="Everyone feels safe in their neighbourhood").is_visible()
    assert page.locator('tr[data-indicator="households_fed"] svg.spark path').count() == 1
    everyone = _latest(page, "feel_safe")

    page.click("text=Residents who feel safe in their neighbourhood")
    assert page.url.endswith("/scorecard/indicators/feel_safe")
    assert page.locator("svg.curve .target").count() == 1 and page.locator("svg.curve .baseline").count() == 1
    page.click("nav.tabs a:text-is('Home language')")  # a plain link: tabs work with no script
    assert page.locator("table.groups").get_attribute("data-dimension") == "language"
    assert "hidden: too few answers to show safely" in page.locator("table.groups").inner_text()

    page.select_option("select[name=group]", "gender:woman")  # "is this true for women?"
    page.click("form.filters button")
    assert "group=gender%3Awoman" in page.url or "group=gender:woman" in page.url
    assert "Only: Gender: Woman." in page.locator("p.notice").inner_text()
    women = page.locator("table.history tbody tr:not(.forecast)").last.locator("td").first.inner_text()
    page.click("text=Back to the scorecard")
    assert _latest(page, "feel_safe") == women != everyone  # the filter carried back, and it filters

    page.goto(f"{base}/scorecard/indicators/feel_safe")
    page.set_viewport_size(TABLET)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scorecard-indicator-tablet.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header.staff").is_visible() and not page.locator("form.filters").is_visible()
    assert not page.locator("text=Add an action").is_visible()
    assert page.locator("svg.curve").is_visible() and page.locator("#actions table").is_visible()
    page.screenshot(path=str(ARTIFACTS / "scorecard-indicator-print.png"), full_page=True)
    context.close()


def test_a_partner_reports_a_measure_and_the_backbone_sees_it(server, browser):
    app, base = server
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    sign_in(page, base, PARTNER)
    page.click("header.staff a:text-is('Your performance measures')")
    period = reportable(dt.date.today(), "quarter")[-1]  # the newest quarter that has ended
    late = dt.date.today() > due_date(period, "quarter")
    with app.app_context():
        measure = db.session.scalar(sa.select(PartnerMeasure).where(PartnerMeasure.title == "Households given a food parcel"))
        measure_id = measure.id
        db.session.execute(sa.delete(MeasureReport).where(MeasureReport.measure_id == measure_id,
                                                          MeasureReport.period == period))
        db.session.commit()
    form = page.locator(f"#measure-{measure_id} form.report")
    form.locator("input[name=period]").fill(period)
    form.locator("input[name=value]").fill("lots")
    form.locator("button").click()
    assert "'lots' is not a number." in page.locator(f"#measure-{measure_id}").inner_text()
    form = page.locator(f"#measure-{measure_id} form.report")
    form.locator("input[name=value]").fill("561")
    form.locator("button").click()
    assert f"Households given a food parcel, {period}: saved." in page.locator("p.flash").inner_text()
    with app.app_context():
        row = db.session.scalar(sa.select(MeasureReport).where(MeasureReport.measure_id == measure_id,
                                                               MeasureReport.period == period))
        assert row.value == 561
    context.close()

    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    sign_in(page, base, LEAD)
    page.goto(f"{base}/scorecard/partners")
    cell = page.locator(f'tr[data-measure="{measure_id}"] td[data-period="{period}"]')
    assert "561" in cell.inner_text() and "partner-reported" in cell.inner_text()
    assert cell.get_attribute("data-state") == ("late" if late else "on_time")
    context.close()


def test_a_resident_reads_the_public_page_in_arabic_on_a_phone(server, phone):
    app, base = server
    page = phone
    page.goto(f"{base}/you-said-we-did?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.locator("h1").inner_text() == "قلتم، فعلنا"
    assert page.locator("ul.said li").count() == 5 and page.locator("article.ind").count() == 4
    assert page.locator("ul.did li").count() == 1
    # The yes/no share reads as the scorecard computes it after the rating shares (once 0.0%).
    assert page.locator("article.ind").nth(1).locator("p.big").inner_text().startswith("65.0%")
    # Right to left: headings start at the right edge.
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert re.search(r"[\u0600-\u06ff]", page.locator("article.ind h3").first.inner_text())  # titles translated
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "you-said-we-did-arabic-360.png"), full_page=True)
