"""Issue 11, items 7, 8 and 9 on the demo data: alignment on any ranking question, words and
colours explained, the weighted view picked from a list, a network people can explore."""
import re

from tests.app.reports.conftest import api, page


def test_alignment_lists_ranking_questions_and_reads_the_chosen_one(demo_app, demo_client, lead):
    html = page(lead, "/reports/alignment")
    assert '<select name="question">' in html and '<option value="priorities" selected>' in html
    report = api(demo_app, demo_client, "alignment", question="priorities")
    assert report["question"] == "priorities" and report["kendalls_w"] and report["n_raters"] == 420 + 27
    bad = api(demo_app, demo_client, "alignment", 400, question="shoe_size")
    assert "priorities" in bad["errors"]["question"]


def test_a_ranking_question_with_another_key_is_compared(demo_app, demo_client, tmp_path):
    """A survey whose ranking question is not called `priorities` gets its own alignment."""
    import uuid

    from app.core.extensions import db
    from app.surveys.loader import load_surveys
    folder = str(tmp_path)
    with open(f"{folder}/parks.yaml", "w", encoding="utf-8") as handle:
        handle.write("slug: parks-poll\ntitle: Parks poll\nlanguage: en\nintro: Parks.\n"
                     "consent: {version: 1, text: Anonymous.}\npages:\n  - title: Parks\n    questions:\n"
                     "      - key: park_ranking\n        type: ranking\n        label: Rank the parks\n"
                     "        choices: {north: North park, river: River park, hill: Hill park}\n")
    with demo_app.app_context():
        load_surveys(folder)
        db.session.commit()
    for n in range(6):
        order = ["north", "river", "hill"] if n % 3 else ["river", "north", "hill"]
        response = demo_client.post("/api/v1/surveys/parks-poll/responses", json={
            "submission_id": uuid.uuid4().hex, "lang": "en", "answers": {"park_ranking": order}})
        assert response.status_code == 201, response.get_json()
    report = api(demo_app, demo_client, "alignment", question="park_ranking", survey="parks-poll")
    assert report["n_raters"] == 6 and [p["key"] for p in report["priorities"]] == ["north", "river", "hill"]
    assert report["priorities"][0]["name"] == "North park"


def test_alignment_labels_are_defined_and_consistent(demo_app, demo_client, lead):
    report = api(demo_app, demo_client, "alignment")
    gaps = {d["key"]: d["difference"] for d in report["largest_differences"]}
    labels = {p["key"]: p["label"] for p in report["priorities"]}
    divisive = [gaps[k] for k in gaps if labels[k] == "divisive"]
    not_divisive = [gaps[k] for k in gaps if labels[k] != "divisive"]
    # No priority with a wider gap between groups is labelled less divisive than one with a narrower gap.
    assert not divisive or not not_divisive or min(divisive) >= max(not_divisive)
    html = page(lead, "/reports/alignment")
    assert 'id="agreement-labels"' in html and "two groups' average ranks are at least a third" in html
    assert "green: the groups rank in the same order" in html


def test_kappa_and_alpha_come_with_n_and_a_caution(demo_app, lead):
    from tests.app.themes.conftest import review
    item = re.search(r'name="item" value="([^"]+)"', page(lead, "/reports/themes/review")).group(1)
    assert review(lead, item, ["transport"]).status_code == 303
    html = page(lead, "/reports/themes")
    agreement = html[html.index("Agreement between the tagger and people"):]
    assert "few: read with care" in agreement and "marked “few”" in agreement
    assert re.search(r'<td class="num">1 <span class="caution">few: read with care</span></td>', agreement)


def test_the_weighted_view_is_picked_from_a_list(lead):
    html = page(lead, "/reports/representation?survey=community-needs&question=recommend")
    assert '<select name="question">' in html and '<option value="recommend" selected>' in html
    assert "<h2>Would you recommend your neighbourhood to a friend as a place to live?</h2>" in html
    assert "Under-represented: the group's share" in html and "Share of the population" in html


def test_the_network_names_every_organisation_and_sector(demo_app, demo_client, lead):
    report = api(demo_app, demo_client, "network")
    html = page(lead, "/reports/network")
    listed = re.findall(r'<tr data-name="([^"]+)">', html)
    assert len(listed) == len(report["nodes"]) == 39
    drawn = re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="(?:start|end)">([^<]+)</text>', html)
    not_named = html.count("(not named on the drawing)")
    assert len(drawn) + not_named == 39 and len(drawn) >= 30
    assert 'id="network-find"' in html and "Resident or tenants&#39; association" in html
    assert ">resident_association<" not in html
    # The two isolated organisations are named, on the drawing or in the list.
    names = {n["id"]: n["name"] for n in report["nodes"]}
    for isolate in report["isolates"]:
        assert names[isolate] in listed


def test_sectors_with_no_tie_are_said_once(demo_app, demo_client, lead):
    report = api(demo_app, demo_client, "network")
    assert report["sectors_without_ties"] == ["other"]
    assert all("other" not in pair for pair in report["sector_pairs_without_ties"])
    assert report["sector_pairs_without_ties"] == [["business", "faith"], ["education", "health"],
                                                  ["funder", "resident_association"], ["government", "health"]]
    html = page(lead, "/reports/network")
    assert "Sectors with no tie at all: Other." in html and "Business – Faith group" in html
