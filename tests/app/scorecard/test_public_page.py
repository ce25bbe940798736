"""The public "you said, we did" page: no sign-in, every language, right-to-left in Arabic, no
script, light, only what an admin published, small counts hidden."""
import gzip
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.core.i18n import shipped_languages
from app.models import Publication
from tests.conftest import Auth

#: The first round trip: about 14 KB compressed (DESIGN.md, "Pages a cheap phone can open").
FIRST_VIEW = 14 * 1024


def test_every_language_with_no_sign_in_no_script_and_light(demo_app, demo_client):
    for lang in shipped_languages():
        response = demo_client.get(f"/you-said-we-did?lang={lang}")
        assert response.status_code == 200
        body = response.get_data()
        assert b"<script" not in body and b"<link rel=\"stylesheet\"" not in body  # the CSS is inline: one request
        assert len(gzip.compress(body, 6)) <= FIRST_VIEW, (lang, len(gzip.compress(body, 6)))
    arabic = demo_client.get("/you-said-we-did?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<h1>قلتم، فعلنا</h1>" in arabic


def test_shows_only_what_an_admin_published(demo_app, demo_client):
    client = demo_app.test_client()
    Auth(demo_app, client).login("admin", "publisher@example.org")
    with demo_app.app_context():
        db.session.execute(sa.delete(Publication))
        db.session.commit()
    page = demo_client.get("/you-said-we-did?lang=en").get_data(as_text=True)
    assert "Nothing has been published here yet." in page
    html = client.get("/scorecard/publish").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/scorecard/publish", data={"csrf_token": token, "theme": ["housing", "childcare", "nope"]})
    assert response.status_code == 303
    with demo_app.app_context():
        assert set(map(tuple, db.session.execute(sa.select(Publication.kind, Publication.key)))) == {
            ("theme", "housing"), ("theme", "childcare")}  # an unknown key is not published
    page = demo_client.get("/you-said-we-did?lang=en").get_data(as_text=True)
    said = re.search(r'<ul class="said">(.*?)</ul>', page, re.S).group(1)
    assert "<strong>Housing</strong>" in said and "Transport" not in said
    counts = dict(re.findall(r"<strong>([^<]+)</strong> <span class=\"hint\">([^<]+)</span>", said))
    # The same counts as the themes report over every text.
    from tests.app.reports.conftest import api
    report = {t["key"]: t["count"] for t in api(demo_app, demo_client, "themes")["themes"]}
    assert counts == {"Housing": f"{report['housing']} comments", "Childcare": f"{report['childcare']} comments"}


def test_a_theme_few_people_raised_shows_no_count():
    from app.scorecard.public import published_themes
    themes = [{"key": "housing", "label": "Housing", "count": 12}, {"key": "wages", "label": "Wages", "count": 4},
              {"key": "food", "label": "Food", "count": 0}, {"key": "jobs", "label": "Jobs", "count": 30}]
    rows = published_themes(themes, {"housing", "wages", "food"}, 5)
    assert [(r["key"], r["count"]) for r in rows] == [("housing", 12), ("wages", None)]


def test_each_published_figure_says_how_many_answers_it_rests_on(demo_app, demo_client):
    """A percentage alone cannot be judged: a resident sees how many answers each figure rests on."""
    from app.scorecard import source
    with demo_app.app_context():
        db.session.execute(sa.delete(Publication))
        cards = source.scorecard(source.Filters(), "en")
        db.session.add_all(Publication(kind="indicator", key=c["key"]) for c in cards)
        db.session.commit()
    shown = {c["title"]: c["latest"] for c in cards if c["latest"] and not c["latest"].get("suppressed")}
    counted = {title: latest["n"] for title, latest in shown.items() if latest.get("n")}
    assert counted, "the demo has indicators computed from survey answers"
    page = demo_client.get("/you-said-we-did?lang=en").get_data(as_text=True)
    for title, n in counted.items():
        article = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)</article>", page, re.S).group(1)
        assert re.search(rf"<p class=\"big\">[^<]+<span class=\"hint\">\(<bdi>[^<]+</bdi> · {n:,} answers?\)</span>", article), title
    reported = [c["title"] for c in cards if c["reported"] and c["latest"] and not c["latest"].get("n")]
    for title in reported:  # a partner's reported figure has no count of answers to give
        article = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)</article>", page, re.S).group(1)
        assert "answer" not in article


def test_the_theme_counts_are_counted_once_per_period_not_per_view(demo_app, demo_client, monkeypatch):
    """Anyone may open the page: a flood of views must not each count every text's themes."""
    from app.scorecard import public
    from app.themes import report
    with demo_app.app_context():
        db.session.merge(Publication(kind="theme", key="housing"))
        db.session.commit()
    counted = []
    real = report.theme_counts
    monkeypatch.setattr(report, "theme_counts", lambda *a: counted.append(1) or real(*a))
    demo_app.extensions.pop(public.KEPT_COUNTS, None)
    pages = [demo_client.get("/you-said-we-did?lang=en") for _ in range(3)]
    assert [p.status_code for p in pages] == [200] * 3 and len(counted) == 1
    assert len({p.get_data(as_text=True) for p in pages}) == 1  # the same figures on every view
    clock = public.time.monotonic() + demo_app.config["PUBLIC_THEMES_SECONDS"]
    monkeypatch.setattr(public.time, "monotonic", lambda: clock)  # the period has passed
    assert demo_client.get("/you-said-we-did?lang=en").status_code == 200 and len(counted) == 2
