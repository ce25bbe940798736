"""A resident completes the community survey in Arabic on a phone-sized screen, JavaScript off."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response
from tests.browser.conftest import ARTIFACTS


def test_arabic_walk_through_on_a_phone(live_server, phone):
    app, base = live_server
    page = phone
    page.goto(f"{base}/s/community-needs?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    # Right-to-left layout: the consent checkbox sits at the right edge, its label to its left.
    box = page.locator("#consent").bounding_box()
    label = page.locator("label[for=consent]").bounding_box()
    assert box["x"] > label["x"]
    page.check("#consent")
    page.click("button[type=submit]")

    page.select_option("#priorities__1", "transport")
    page.select_option("#priorities__2", "housing")
    page.select_option("#priorities__3", "health")
    page.fill("#biggest_change", "المزيد من الحافلات في المساء")
    page.click("button[value=next]")

    assert page.locator("progress").get_attribute("value") == "2"
    page.check("input[name=bus_often][value=disagree]")
    page.check("input[name=safety_rating][value='2']")
    page.click("button[value=next]")
    page.fill("#safety_where", "تحت الجسر")  # a rating of 2 brings this follow-up onto the same page
    page.click("button[value=next]")

    page.fill("#years_here", "abc")  # a mistake: the error comes back in Arabic, tied to the field
    page.click("button[value=next]")
    error = page.locator("#years_here-error")
    assert error.is_visible() and any("\u0600" <= ch <= "\u06ff" for ch in error.inner_text())
    assert "years_here-error" in page.get_attribute("#years_here", "aria-describedby")
    page.fill("#years_here", "4")
    page.click("button[value=next]")

    page.check("input[name=age_band][value='65_plus']")
    page.check("input[name=home_language][value=arabic]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "resident-arabic-360x740.png"), full_page=True)
    # Nothing may be wider than the phone: no sideways scrolling on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button[value=next]")

    assert "/done/" in page.url and page.get_attribute("html", "dir") == "rtl"
    with app.app_context():
        response = db.session.scalar(sa.select(Response).order_by(Response.id.desc()))
        values = {a.question_key: a for a in db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id))}
    assert response.lang == "ar" and values["biggest_change"].lang == "ar"
    assert values["years_here"].number == 4 and values["age_band"].choice == "65_plus"
