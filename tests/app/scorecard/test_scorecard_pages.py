"""The scorecard and the "turn the curve" page on the demo: the figures the pages show are the
indicators API's, the group filter really filters, small groups stay hidden, and actions and the
story behind the curve are stored as typed."""
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, CurveStory, IndicatorAction
from tests.app.reports.conftest import page


def _api(demo_app, demo_client, key: str, **params) -> dict:
    response = demo_client.get(f"/api/v1/indicators/{key}", query_string=params,
                               headers={"Authorization": f"Bearer {demo_app.config['DEMO_TOKEN']}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _row(html: str, key: str) -> str:
    return re.search(rf'<tr data-indicator="{key}">(.*?)</tr>', html, re.S).group(1)


def _latest(row: str) -> str:
    return re.search(r'class="num latest">(?:<strong>)?([^<]+)', row).group(1)


def test_every_indicator_by_result_with_the_api_figures(demo_app, demo_client, lead):
    html = page(lead, "/scorecard/")
    listed = demo_client.get("/api/v1/indicators", headers={"Authorization": f"Bearer {demo_app.config['DEMO_TOKEN']}"})
    keys = {i["key"] for i in listed.get_json()["indicators"]}
    assert set(re.findall(r'<tr data-indicator="([^"]+)">', html)) == keys and len(keys) >= 6
    assert html.index("<h2>Everyone feels safe in their neighbourhood</h2>") < html.index('data-indicator="feel_safe"')
    safe = _api(demo_app, demo_client, "feel_safe")
    row = _row(html, "feel_safe")
    assert _latest(row) == f"{safe['periods'][-1]['value'] * 100:.1f}%"
    assert f"2026 · n={safe['periods'][-1]['n']}" in row
    assert f'class="status {safe["status"]}"' in row and "52.0%" in row and "65.0%" in row
    fed = _api(demo_app, demo_client, "households_fed")
    row = _row(html, "households_fed")
    assert _latest(row) == f"{fed['latest']['value']:,.0f}" and "reported by partners" in row
    assert '<svg class="spark"' in row  # 34 months of returns: a trend line


def test_the_group_filter_really_filters(demo_app, demo_client, lead):
    everyone = _latest(_row(page(lead, "/scorecard/"), "feel_safe"))
    html = page(lead, "/scorecard/?group=gender:woman")
    women = _api(demo_app, demo_client, "feel_safe", dimension="gender", category="woman")
    value = women["periods"][-1]["value"]
    assert _latest(_row(html, "feel_safe")) == f"{value * 100:.1f}%" != everyone
    assert "Only: Gender: Woman." in html
    # Not broken down by language: shown for everyone, and it says so.
    assert "not broken down by that group" in _row(html, "households_fed")


def test_a_group_too_small_shows_no_figure_and_no_count(demo_app, demo_client, lead):
    somali = _api(demo_app, demo_client, "feel_safe", dimension="language", category="somali")
    assert somali["periods"][-1]["value"] is None  # suppressed by the service
    row = _row(page(lead, "/scorecard/?group=language:somali"), "feel_safe")
    assert "hidden: too few answers to show safely" in row and "n=" not in row


def test_an_unknown_filter_is_a_clear_error(lead):
    html = page(lead, "/scorecard/?group=language:klingon", status=422)
    assert "There is no group language:klingon: choose one from the list." in html
    html = page(lead, "/scorecard/?geography=atlantis", status=422)
    assert "There is no geography called atlantis." in html


def test_the_indicator_page_curve_and_groups(demo_app, demo_client, lead):
    fed = _api(demo_app, demo_client, "households_fed")
    html = page(lead, "/scorecard/indicators/households_fed")
    assert html.count("<circle ") == sum(1 for p in fed["periods"] if p["value"] is not None)
    assert html.count('class="target"') == len(fed["targets"]) and 'class="forecast"' in html
    assert "reported by Riverton Food Bank" in html
    # The food bank's own measures that serve this indicator, with their latest reported value.
    partners = re.search(r'<section id="partners">(.*?)</section>', html, re.S).group(1)
    assert "Riverton Food Bank" in partners and "Households given a food parcel" in partners
    assert re.search(r"<strong>[\d,.]+</strong> households \(<bdi>\d{4}-Q\d</bdi>\) <span class=\"partner-mark\">partner-reported", partners)
    safe = _api(demo_app, demo_client, "feel_safe", dimension="neighbourhood", period="2026")
    html = page(lead, "/scorecard/indicators/feel_safe?tab=neighbourhood")
    assert re.search(r'<a href="[^"]*tab=neighbourhood[^"]*#groups" aria-current="page">Neighbourhood</a>', html)
    cells = {c["category"]: c["periods"][0] for c in safe["disaggregation"]["categories"] if c["periods"]}
    hillcrest = re.search(r'<tr data-category="hillcrest">(.*?)</tr>', html, re.S).group(1)
    assert f"{cells['hillcrest']['value'] * 100:.1f}%" in hillcrest and f">{cells['hillcrest']['n']}<" in hillcrest
    hidden = [c for c, cell in cells.items() if cell["suppressed"]]
    assert hidden  # Eastfield, the demo's least-heard neighbourhood
    for category in hidden:
        row = re.search(rf'<tr data-category="{category}">(.*?)</tr>', html, re.S).group(1)
        assert "hidden: too few answers to show safely" in row and not re.search(r"\d+\.\d%", row)
    # The demo's story and action for 2026.
    assert "Lighting is the change people ask for most" in html and "City Parks and Recreation" in html


def _token(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', page(client, path)).group(1)


def test_actions_are_added_changed_and_deleted(demo_app, lead):
    token = _token(lead, "/scorecard/indicators/bus_access/actions/new")
    bad = lead.post("/scorecard/indicators/bus_access/actions/new",
                    data={"csrf_token": token, "title": "", "status": "planned", "start_date": "2026-05-01",
                          "end_date": "2026-04-01", "owner_id": "nobody"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Say what the action is." in text and "The end date is before the start date." in text
    assert "Choose a partner from the registry." in text
    response = lead.post("/scorecard/indicators/bus_access/actions/new",
                         data={"csrf_token": token, "title": "Evening buses on route 4", "status": "planned",
                               "owner_id": "city_transit", "start_date": "2026-05-01", "end_date": "2026-12-31",
                               "notes": "Asked for in Eastfield."})
    assert response.status_code == 303
    with demo_app.app_context():
        action = db.session.scalar(sa.select(IndicatorAction).where(IndicatorAction.title == "Evening buses on route 4"))
        assert (action.indicator_key, action.owner_id, str(action.start_date), action.status) == (
            "bus_access", "city_transit", "2026-05-01", "planned")
        action_id = action.id
    html = page(lead, "/scorecard/indicators/bus_access")
    assert "Evening buses on route 4" in html and "Riverton Transit Authority" in html
    lead.post(f"/scorecard/indicators/bus_access/actions/{action_id}",
              data={"csrf_token": token, "title": "Evening buses on route 4", "status": "in_progress",
                    "owner_id": "city_transit", "start_date": "2026-05-01", "end_date": "2026-12-31"})
    with demo_app.app_context():
        assert db.session.get(IndicatorAction, action_id).status == "in_progress"
        assert db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "action_update"))["fields"] == [
            "status", "notes"]
    assert lead.get(f"/scorecard/indicators/feel_safe/actions/{action_id}").status_code == 404  # another indicator's
    lead.post(f"/scorecard/indicators/bus_access/actions/{action_id}/delete", data={"csrf_token": token})
    with demo_app.app_context():
        assert db.session.get(IndicatorAction, action_id) is None


def test_the_story_behind_the_curve_links_themes_and_quotes_of_its_period(demo_app, lead):
    html = page(lead, "/scorecard/indicators/recommend_neighbourhood?period=2026")
    quote = re.search(r'name="quote" value="([^"]+)"', html).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = lead.post("/scorecard/indicators/recommend_neighbourhood/story",
                         data={"csrf_token": token, "period": "2026", "text": "People stay for their neighbours.",
                               "theme": ["housing", "not_a_theme"], "quote": [quote, "made:up"]})
    assert response.status_code == 303
    with demo_app.app_context():
        story = db.session.scalar(sa.select(CurveStory).where(CurveStory.indicator_key == "recommend_neighbourhood"))
        assert (story.period, story.text, story.theme_keys) == ("2026", "People stay for their neighbours.", ["housing"])
        assert [q["id"] for q in story.quotes] == [quote]
    html = page(lead, "/scorecard/indicators/recommend_neighbourhood?period=2026")
    assert "People stay for their neighbours." in html and "<blockquote" in html
    bad = lead.post("/scorecard/indicators/recommend_neighbourhood/story",
                    data={"csrf_token": token, "period": "1999", "text": "x"})
    assert bad.status_code == 303 and "period=" not in bad.headers["Location"]
    assert "There is no period 1999 for this indicator." in page(lead, "/scorecard/indicators/recommend_neighbourhood")


def test_only_staff_reports_roles_see_the_scorecard_and_only_admins_publish(demo_app):
    from tests.conftest import Auth
    for role, scorecard, publish, measures in (("equity_lead", 200, 403, 403), ("admin", 200, 200, 200),
                                               ("partner", 403, 403, 200), ("facilitator", 403, 403, 403)):
        client = demo_app.test_client()
        Auth(demo_app, client).login(role, f"{role}-matrix@example.org")
        got = [client.get(p).status_code for p in ("/scorecard/", "/scorecard/publish", "/partner/measures")]
        assert got == [scorecard, publish, measures], role
        if role == "partner":  # an account with no organisation is told why there is nothing to report
            assert "not tied to an organisation yet" in client.get("/partner/measures").get_data(as_text=True)
    assert demo_app.test_client().get("/scorecard/").status_code == 302  # to the sign-in page
    assert demo_app.test_client().get("/you-said-we-did").status_code == 200
