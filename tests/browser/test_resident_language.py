"""Issue 10, items 4, 6, 7 and 8 walked in a real browser on a 360×740 phone with JavaScript off:
the language survives cleared cookies (and the ended session is explained in it), every tap target
is at least 24×24 CSS px (WCAG 2.2, 2.5.8), and withdrawal asks to confirm and ends on its own page."""
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Draft, Response
from tests.browser.conftest import ARTIFACTS

SLUG = "community-needs"
#: WCAG 2.2, success criterion 2.5.8 (Target Size, Minimum): 24 by 24 CSS pixels.
MIN_TARGET = 24
#: The visible things a thumb can press: links, buttons, form controls, and labels tied to a control.
TARGETS_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, label')) {
    if (el.tagName === 'LABEL' && !(el.control && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.control.tagName))) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.width < %d || box.height < %d)
      small.push(`${el.tagName.toLowerCase()}#${el.id} "${el.textContent.trim().slice(0, 20)}" ${box.width.toFixed(1)}x${box.height.toFixed(1)}`);
  }
  return small;
}""" % (MIN_TARGET, MIN_TARGET)
SCRIPTS = {"ar": re.compile("[\u0600-\u06ff]"), "so": re.compile(r"\b(Fadlan|waa|iyo|ama)\b")}


def small_targets(page) -> list[str]:
    return page.evaluate(TARGETS_JS)


def expect_lang(page, lang: str) -> None:
    assert page.get_attribute("html", "lang") == lang, page.url
    assert ("rtl" if lang == "ar" else "ltr") == page.get_attribute("html", "dir")


def answer_page_one(page) -> None:
    page.select_option("#priorities__1", "transport")
    page.select_option("#priorities__2", "housing")
    page.click("button[value=next]")


def finish(page) -> None:
    """From page 2 to the end, answering a little on each page."""
    page.check("input[name=bus_often][value=agree]")
    page.check("input[name=safety_rating][value='4']")
    page.click("button[value=next]")
    page.fill("#years_here", "3")
    page.click("button[value=next]")
    page.check("input[name=age_band][value='25_44']")
    page.click("button[value=next]")
    assert "/done/" in page.url


@pytest.mark.parametrize("lang", ["ar", "so"])
def test_cookies_cleared_mid_survey_keep_the_language(live_server, phone, lang):
    app, base = live_server
    page = phone
    page.goto(f"{base}/s/{SLUG}?lang={lang}")
    page.check("#consent")
    page.click("button[type=submit]")
    answer_page_one(page)
    expect_lang(page, lang)
    # The phone loses every cookie (the language, and the session behind the form's token).
    page.context.clear_cookies()
    page.check("input[name=bus_often][value=agree]")
    page.click("button[value=next]")
    expect_lang(page, lang)
    notice = page.locator("#expired")
    assert notice.is_visible() and SCRIPTS[lang].search(notice.inner_text())
    sid = page.url.split("/r/")[1].split("/")[0]
    with app.app_context():
        code = db.session.scalar(sa.select(Draft.resume_code).where(Draft.submission_id == sid))
    assert code in notice.inner_text() and page.locator(".summary:not(.notice)").count() == 0
    assert page.is_checked("input[name=bus_often][value=agree]")  # nothing typed is lost
    if lang == "ar":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "resident-ar-session-ended-360.png"), full_page=True)
    page.context.clear_cookies()  # and again, then a reload: the page draws a fresh token, in the language
    page.goto(page.url)
    expect_lang(page, lang)
    finish(page)
    expect_lang(page, lang)
    with app.app_context():
        assert db.session.scalar(sa.select(Response.lang).where(Response.submission_id == sid)) == lang


def test_every_tap_target_is_at_least_24px(live_server, phone):
    _app, base = live_server
    page = phone
    seen: dict[str, list[str]] = {}

    def measure(name):
        seen[name] = small_targets(page)

    page.goto(f"{base}/?lang=ar")
    measure("home")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-ar-360.png"), full_page=True)
    page.click(f"main a[href^='/s/{SLUG}']")
    measure("start")
    page.check("#consent")
    page.click("button[type=submit]")
    measure("page 1: ranking, long text")
    answer_page_one(page)
    measure("page 2: multiple choice, likert, rating")
    page.check("input[name=bus_often][value=agree]")
    page.check("input[name=safety_rating][value='4']")
    page.click("button[value=next]")
    measure("page 3: number, yes/no")
    page.fill("#years_here", "0")
    page.click("button[value=save]")
    measure("saved")
    code = page.locator(".code").inner_text().strip()
    page.goto(f"{base}/s/{SLUG}/resume?lang=ar")
    measure("resume")
    page.fill("#code", code)
    page.click("main button[type=submit]")
    assert page.locator("#moved_in").is_visible()
    measure("page 3 again: date")
    page.screenshot(path=str(ARTIFACTS / "resident-ar-page3-360.png"), full_page=True)
    page.fill("#moved_in", "2025-06-01")
    page.click("button[value=next]")
    measure("page 4: single choice, number")
    page.check("input[name=age_band][value='25_44']")
    page.click("button[value=next]")
    measure("done")
    page.click(f"a[href^='/s/{SLUG}/withdraw']")
    measure("withdraw")
    page.fill("#code", code)
    page.click("main button[type=submit]")
    measure("withdraw: confirm")
    page.click("button[value=yes]")
    measure("withdrawn")
    too_small = [f"{name}: {target}" for name, small in seen.items() for target in small]
    assert not too_small, "\n".join(too_small)
    assert len(seen) == 13


def test_withdrawal_asks_to_confirm_and_ends_on_the_withdrawn_page(live_server, phone):
    app, base = live_server
    page = phone
    page.goto(f"{base}/s/{SLUG}?lang=so")
    page.check("#consent")
    page.click("button[type=submit]")
    answer_page_one(page)
    finish(page)
    code = page.locator(".code").inner_text().strip()
    page.click(f"a[href^='/s/{SLUG}/withdraw']")
    page.fill("#code", code)
    page.click("main button[type=submit]")
    # The code alone withdraws nothing: a question, and a way to keep the answers.
    assert page.locator("button[value=yes]").is_visible() and page.locator("button[value=no]").is_visible()
    with app.app_context():
        response = db.session.scalar(sa.select(Response).join(Draft, Draft.response_id == Response.id)
                                     .where(Draft.resume_code == code))
        assert response.withdrawn_at is None
    page.click("button[value=yes]")
    expect_lang(page, "so")
    assert page.locator("h1").inner_text() == "Jawaabahaaga waa laga noqday"
    assert page.locator(".code").count() == 0  # not the thank-you page, with its code
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "resident-so-withdrawn-360.png"), full_page=True)
    with app.app_context():
        assert db.session.get(Response, response.id).withdrawn_at is not None
