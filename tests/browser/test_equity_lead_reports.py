"""The equity lead's reports on the demo data in a real browser at 1024 px (a tablet or a small
desk): every report, the filters and their combinations, the printed page (also as a PDF), and
every export. What must hold: a filter never changes the interface language, a geography filters
respondents, partner organisations are never counted as people, and people read labels, not keys.
"""
import csv
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_equity_lead import EMAIL, page, server  # noqa: F401 (the signed-in page fixture)

TABLET = {"width": 1024, "height": 768}
#: Keys that must never reach a reader's eyes on a report page.
RAW_KEYS = (">community-needs<", ">old_town<", ">focus_group<", ">resident_association<", ">not_stated<")


def people_counted(page) -> int:
    return int(re.search(r"([\d,]+) people counted", page.locator("main").inner_text()).group(1).replace(",", ""))


def no_raw_keys(page) -> None:
    html = page.content()
    assert not [key for key in RAW_KEYS if key in html]


def test_representation_filters_keep_the_interface_and_count_people(server, page):
    base = server[1]
    page.set_viewport_size(TABLET)
    page.goto(f"{base}/reports/representation")
    everyone = people_counted(page)
    assert everyone == 420  # residents only: the 27 partner organisations are not people
    surveys = page.locator("select[name=survey] option").all_inner_texts()
    assert "Community needs survey" in surveys and "Partner organisation survey" not in surveys
    no_raw_keys(page)

    page.select_option("select[name=respondent_lang]", "ar")
    page.click("form.filters button[type=submit]")
    assert "respondent_lang=ar" in page.url and "lang=ar" not in page.url.replace("respondent_lang=ar", "")
    assert page.get_attribute("html", "lang") == "en" and page.get_attribute("html", "dir") == "ltr"
    arabic = people_counted(page)
    assert 0 < arabic < everyone
    assert "العربية" in page.locator(".report-context").inner_text()

    page.select_option("select[name=respondent_lang]", "")
    page.select_option("select[name=geography]", "eastfield")
    page.select_option("select[name=question]", "recommend")
    page.click("form.filters button[type=submit]")
    eastfield = people_counted(page)
    assert 0 < eastfield < everyone
    assert "Only respondents who live in Eastfield are counted" in page.locator("main").inner_text()
    assert page.locator("h2:has-text('Would you recommend')").count() == 1
    page.screenshot(path=str(ARTIFACTS / "reports-representation-1024.png"), full_page=True)

    page.goto(f"{base}/reports/")
    assert page.get_attribute("html", "lang") == "en"  # no cookie left behind by the filter


def test_an_empty_selection_says_so(server, page):
    page.goto(f"{server[1]}/reports/representation?from=2020-01-01&to=2020-01-31")
    assert page.locator("p.empty").inner_text().startswith("No one matches these filters")
    assert page.locator("section.dimension").count() == 0


def test_the_printed_report_stands_on_its_own(server, page):
    base = server[1]
    page.set_viewport_size(TABLET)
    page.goto(f"{base}/reports/representation?survey=community-needs&geography=city")
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible() and not page.locator("p.exports").is_visible()
    context = page.locator(".report-context")
    assert context.is_visible()
    text = context.inner_text()
    for expected in ("Community needs survey", "420", "Sep 1, 2024", "Made on", "R-indicator"):  # the first of three waves
        assert expected in text
    method = page.locator(".report-context details.method p").nth(1).inner_text()
    assert page.locator("main").inner_text().count(method) == 1  # once, not under each dimension
    page.screenshot(path=str(ARTIFACTS / "reports-representation-print.png"), full_page=True)
    pdf = ARTIFACTS / "reports-representation.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                        str(ARTIFACTS / "reports-representation-pdf")], check=True)
        assert (ARTIFACTS / "reports-representation-pdf-1.png").exists()
    page.emulate_media(media="screen")


def test_every_export_says_what_it_was_computed_from(server, page):
    base = server[1]
    page.goto(f"{base}/reports/representation?survey=community-needs&respondent_lang=es")
    with page.expect_download() as download:
        page.click("p.exports a:text-is('CSV')")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    about = {row[0]: row[1] for row in rows[2:rows.index([])]}
    assert about["Survey"] == "Community needs survey" and about["Respondents' language"] == "Español"
    with page.expect_download() as download:
        page.click("p.exports a:text-is('XLSX')")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))  # the download has no .xlsx suffix
    assert book.sheetnames[0] == "About this report"
    report = page.request.get(base + page.locator("p.exports a:text-is('JSON')").get_attribute("href")).json()
    assert report["n"] == people_counted(page) and report["context"]["filters"][3]["value"] == "Español"
    for name in ("themes", "network", "alignment", "partners"):
        for fmt in ("csv", "xlsx"):
            response = page.request.get(f"{base}/reports/{name}?format={fmt}")
            assert response.ok, (name, fmt)
            if fmt == "csv":
                assert response.text().startswith("About this report"), name


@pytest.mark.parametrize("name, heading", [
    ("themes", "What people are telling us"), ("alignment", "Where priorities line up"),
    ("partners", "Partner responses"), ("network", "Who works with whom")])
def test_every_report_reads_in_labels(server, page, name, heading):
    page.set_viewport_size(TABLET)
    page.goto(f"{server[1]}/reports/{name}")
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".report-context").is_visible()
    no_raw_keys(page)
    page.screenshot(path=str(ARTIFACTS / f"reports-{name}-1024.png"), full_page=True)


def test_filters_on_the_other_reports(server, page):
    base = server[1]
    page.set_viewport_size(TABLET)
    page.goto(f"{base}/reports/themes")
    page.select_option("select[name=respondent_lang]", "es")
    page.click("form.filters button[type=submit]")
    assert "respondent_lang=es" in page.url and page.get_attribute("html", "lang") == "en"
    channels = page.locator("section:has(h2:text-is('Themes by channel'))")
    assert "Web" in channels.locator("thead th").all_inner_texts()
    channels.screenshot(path=str(ARTIFACTS / "reports-themes-channels-1024.png"))
    page.locator(".report-context").screenshot(path=str(ARTIFACTS / "reports-themes-context-1024.png"))

    page.goto(f"{base}/reports/alignment")
    assert page.locator("select[name=question] option").all_inner_texts()[0].startswith("What matters most to you?")
    page.select_option("select[name=by]", "age_band")
    page.click("form.filters button[type=submit]")
    assert "Residents, 65 or older" in page.locator("main").inner_text()
    assert page.locator("#agreement-labels").is_visible()

    page.goto(f"{base}/reports/partners")
    assert "27 organisations answered" in page.locator("main").inner_text()
    assert page.locator("table.not-answered tbody tr").count() == 12


def test_the_network_can_be_searched(server, page):
    page.set_viewport_size(TABLET)
    page.goto(f"{server[1]}/reports/network")
    assert page.locator(".network-list tbody tr").count() == 39
    isolate = page.locator(".network-list tbody tr").filter(has_text="Arts").first.get_attribute("data-name")
    page.fill("#network-find", isolate)
    hit = page.locator("svg#network circle.hit")
    assert hit.count() == 1 and hit.get_attribute("data-name") == isolate
    assert page.locator(".network-list tr.hit").count() == 1
    assert "Sectors with no tie at all: Other." in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports-network-search-1024.png"), full_page=True)


def test_an_arabic_interface_keeps_its_own_filter(server, page):
    """The interface language (lang) and the respondents' language (respondent_lang) are two
    choices: Arabic pages can show Spanish answers, and the filter leaves the pages Arabic."""
    page.set_viewport_size(TABLET)
    page.goto(f"{server[1]}/reports/representation?lang=ar")
    page.select_option("select[name=respondent_lang]", "es")
    page.click("form.filters button[type=submit]")
    # The page's text stays Arabic (html lang/dir on staff pages belong to the interface-language work).
    assert page.locator("h1").inner_text() == "مَن الغائبون"
    assert "respondent_lang=es" in page.url
    assert "Español" in page.locator(".report-context").inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports-representation-ar-1024.png"))
