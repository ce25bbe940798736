"""Issue 11, items 2 and 4 on the demo data: the respondents' language filter is not the interface
language, filter values read as labels, geography filters respondents, partner responses are not
people (and have their own view), and an empty selection says so."""
import re

from tests.app.reports.conftest import api, page


def test_respondent_lang_filters_answers_and_leaves_the_interface_alone(demo_app, demo_client, lead):
    everyone = api(demo_app, demo_client, "representation")
    arabic = api(demo_app, demo_client, "representation", respondent_lang="ar")
    assert 0 < arabic["n"] < everyone["n"] == 420
    html = page(lead, "/reports/representation?respondent_lang=ar")
    assert '<html lang="en" dir="ltr">' in html and "Who is missing" in html
    assert '<select name="respondent_lang">' in html and '<option value="ar" selected>' in html
    # No language cookie is set by a filter, so the next page is still in English.
    assert 'lang="en"' in page(lead, "/reports/")
    # The export and JSON links carry the filter under its own name, never lang=.
    links = re.findall(r'href="([^"]*format=csv[^"]*)"', html)
    assert links and "respondent_lang=ar" in links[0] and "&lang=" not in links[0] and "?lang=" not in links[0]


def test_lang_on_the_api_is_the_interface_language_of_labels(demo_app):
    french = api(demo_app, demo_app.test_client(), "representation", lang="fr")  # its own client: lang sets a cookie
    assert french["n"] == 420  # not a filter
    assert french["context"]["filters"][0]["filter"] == "Questionnaire"
    assert french["context"]["filters"][3]["value"] == "Toutes les langues"


def test_filter_values_are_labels_not_keys(demo_app, demo_client, lead):
    html = page(lead, "/reports/representation?survey=community-needs")
    assert ">Community needs survey</option>" in html and ">community-needs</option>" not in html
    assert ">Old Town</option>" in html and ">old_town</option>" not in html
    context = api(demo_app, demo_client, "representation", survey="community-needs", channel="web")["context"]
    values = {row["filter"]: row["value"] for row in context["filters"]}
    assert values["Survey"] == "Community needs survey" and values["Channel"] == "Web"


def test_geography_filters_respondents(demo_app, demo_client):
    city = api(demo_app, demo_client, "representation", geography="city")
    eastfield = api(demo_app, demo_client, "representation", geography="eastfield")
    neighbourhood = next(d for d in city["dimensions"] if d["dimension"] == "neighbourhood")
    in_eastfield = next(c["n"] for c in neighbourhood["categories"] if c["category"] == "eastfield")
    assert eastfield["n"] == in_eastfield < city["n"] == 420
    assert eastfield["geography"] == "eastfield" and eastfield["geography_filters_people"]
    assert not city["geography_filters_people"]


def test_geography_mapping_from_config(demo_app, demo_client):
    demo_app.config["GEOGRAPHY_NEIGHBOURHOODS"] = {"eastfield": ["eastfield", "southbank"]}
    try:
        both = api(demo_app, demo_client, "representation", geography="eastfield")
    finally:
        del demo_app.config["GEOGRAPHY_NEIGHBOURHOODS"]
    city = api(demo_app, demo_client, "representation", geography="city")
    neighbourhood = {c["category"]: c["n"] for d in city["dimensions"] if d["dimension"] == "neighbourhood"
                     for c in d["categories"]}
    assert both["n"] == neighbourhood["eastfield"] + neighbourhood["southbank"]


def test_partner_responses_are_not_people(demo_app, demo_client):
    everyone = api(demo_app, demo_client, "representation", survey="all")
    assert everyone["n"] == 420  # the 420 residents, not the 27 partner organisations
    for dimension in everyone["dimensions"]:
        assert (dimension["not_stated"].get("missing") or 0) < 27
    refused = api(demo_app, demo_client, "representation", 400, survey="partner-survey")
    assert "organisations" in refused["errors"]["survey"]


def test_partner_view_counts_organisations(demo_app, demo_client, lead):
    report = api(demo_app, demo_client, "partners")
    assert (report["n_organisations"], report["n_answered"], report["n_responses"]) == (39, 27, 27)
    assert sum(s["answered"] for s in report["sectors"]) == 27
    assert "arts_collective" in report["not_answered"] and len(report["not_answered"]) == 12
    html = page(lead, "/reports/partners")
    assert "27 organisations answered" in html and "Nonprofit or charity" in html
    assert ">nonprofit<" not in html and "Arts" in html
    csv = page(lead, "/reports/partners?format=csv")
    assert csv.startswith("About this report") and "Faith group" in csv


def test_an_empty_date_range_says_so(demo_app, demo_client, lead):
    report = api(demo_app, demo_client, "representation", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert report["n"] == 0 and report["empty"] and "No one matches" in report["message"]
    html = page(lead, "/reports/representation?from=2020-01-01&to=2020-01-31")
    assert "No one matches these filters" in html and "<svg" not in html
    themes = page(lead, "/reports/themes?from=2020-01-01&to=2020-01-31")
    assert "No text matches these filters" in themes
