"""The codebook pages: equity leads read, admins edit; imports are all or nothing; exports are
YAML that imports back and a REFI-QDA codebook that other QDA programs read."""
import re
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, CodebookTheme
from tests.app.themes.conftest import CODEBOOK
from tests.forms import hidden_fields

QDC = "{urn:QDA-XML:codebook:1.0}"


def rows(app):
    with app.app_context():
        return [(r.key, r.parent, r.labels, r.keywords, r.position)
                for r in db.session.scalars(sa.select(CodebookTheme).order_by(CodebookTheme.position))]


def form_fields(client, url, marker):
    html = client.get(url).get_data(as_text=True)
    return hidden_fields(html, html.count("<form", 0, html.index(marker)) - 1)


def test_equity_leads_read_the_codebook_without_edit_links(themes_app, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/themes/codebook").get_data(as_text=True)
    assert "landlord" in html and "Vivienda" in html and "/reports/themes/codebook/housing/edit" not in html


EDIT_PAGES = ["/reports/themes/codebook/new", "/reports/themes/codebook/housing/edit",
              "/reports/themes/codebook/housing/delete", "/reports/themes/codebook/import"]


def test_only_admins_change_the_codebook(themes_app, client, auth):
    auth.login("equity_lead")
    token = hidden_fields(client.get("/reports/themes/codebook").get_data(as_text=True))["csrf_token"]
    for url in EDIT_PAGES:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={"csrf_token": token, "key": "x", "label_en": "X", "keywords_en": "x"}).status_code == 403
    assert len(rows(themes_app)) == 4


@pytest.mark.parametrize("role", ["partner", "facilitator"])
def test_partners_and_facilitators_are_refused(themes_app, client, auth, role):
    auth.login(role)
    for url in ["/reports/themes", "/reports/themes/review", "/reports/themes/codebook",
                "/reports/themes/codebook/export?format=qdc", "/api/v1/reports/themes", *EDIT_PAGES]:
        assert client.get(url).status_code == 403, url


def test_admin_adds_a_sub_theme_after_its_parent(themes_app, client, auth):
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/new", 'name="key"')
    response = client.post("/reports/themes/codebook/new", data={
        **fields, "key": "buses", "parent": "transport", "label_en": "Buses", "label_es": "Autobuses",
        "keywords_en": "bus stop\nbus shelter\n", "keywords_es": "parada de autobús"})
    assert response.status_code == 302
    assert [r[0] for r in rows(themes_app)] == ["housing", "rent", "transport", "buses", "parks"]
    buses = rows(themes_app)[3]
    assert buses[1:4] == ("transport", {"en": "Buses", "es": "Autobuses"},
                          {"en": ["bus stop", "bus shelter"], "es": ["parada de autobús"]})
    with themes_app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "codebook_theme_create")) == "theme:buses"


@pytest.mark.parametrize("data, field", [
    ({"key": "Bad Key", "label_en": "X", "keywords_en": "x"}, "key"),
    ({"key": "housing", "label_en": "X", "keywords_en": "x"}, "key"),
    ({"key": "new_one", "label_en": "", "keywords_en": "x"}, "label_en"),
    ({"key": "new_one", "label_en": "X", "keywords_en": "  \n "}, "keywords_en"),
    ({"key": "new_one", "label_en": "X", "keywords_en": "x", "parent": "rent"}, "parent"),
    ({"key": "new_one", "label_en": "X", "keywords_en": "x" * 101}, "keywords_en"),
])
def test_a_bad_theme_is_refused_per_field_and_nothing_changes(themes_app, client, auth, data, field):
    auth.login("admin")
    before = rows(themes_app)
    fields = form_fields(client, "/reports/themes/codebook/new", 'name="key"')
    response = client.post("/reports/themes/codebook/new", data={**fields, "parent": "", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and re.search(f'aria-describedby="[^"]*{field}-error"', html)
    assert rows(themes_app) == before


def test_a_keyword_analysis_rejects_is_shown_and_nothing_changes(themes_app, client, auth):
    auth.login("admin")
    before = rows(themes_app)
    fields = form_fields(client, "/reports/themes/codebook/parks/edit", 'name="label_en"')
    response = client.post("/reports/themes/codebook/parks/edit", data={
        **fields, "parent": "", "label_en": "Parks", "keywords_en": "park\n!!!"})
    assert response.status_code == 422 and "nothing was saved" in response.get_data(as_text=True)
    assert rows(themes_app) == before


def test_a_theme_with_sub_themes_cannot_be_removed(themes_app, client, auth):
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/housing/delete", "Remove the theme")
    response = client.post("/reports/themes/codebook/housing/delete", data=fields)
    assert response.status_code == 422 and "rent" in response.get_data(as_text=True)
    assert len(rows(themes_app)) == 4


def test_admin_removes_a_theme(themes_app, client, auth):
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/parks/delete", "Remove the theme")
    assert client.post("/reports/themes/codebook/parks/delete", data=fields).status_code == 302
    assert [r[0] for r in rows(themes_app)] == ["housing", "rent", "transport"]


def test_yaml_export_imports_back_unchanged(themes_app, client, auth):
    auth.login("admin")
    exported = client.get("/reports/themes/codebook/export?format=yaml")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    before = rows(themes_app)
    fields = form_fields(client, "/reports/themes/codebook/import", 'name="text"')
    response = client.post("/reports/themes/codebook/import", data={**fields, "text": exported.get_data(as_text=True)})
    assert response.status_code == 302
    assert rows(themes_app) == before


def test_a_file_import_replaces_the_codebook(themes_app, client, auth):
    import io
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/import", 'name="text"')
    yaml_text = ("themes:\n  - key: food\n    labels: {en: Food}\n    keywords: {en: [food, grocery]}\n"
                 "  - key: parks\n    labels: {en: Green space}\n    keywords: {en: [park]}\n")
    response = client.post("/reports/themes/codebook/import", content_type="multipart/form-data",
                           data={**fields, "file": (io.BytesIO(yaml_text.encode()), "codebook.yaml")})
    assert response.status_code == 302
    assert [(r[0], r[2]) for r in rows(themes_app)] == [("food", {"en": "Food"}), ("parks", {"en": "Green space"})]


@pytest.mark.parametrize("text, message", [
    ("themes: [", "not valid YAML"),
    ("themes:\n  - key: food\n    labels: {en: Food}\n    keywords: {en: []}\n", "non-empty list"),
    ("themes:\n  - key: a\n    labels: {en: A}\n    keywords: {en: [a]}\n"
     "  - key: b\n    parent: nowhere\n    labels: {en: B}\n    keywords: {en: [b]}\n", "line 5"),
    ("themes:\n  - key: a\n    labels: {en: A}\n    keywords: {en: [a]}\n"
     "  - key: a\n    labels: {en: A}\n    keywords: {en: [b]}\n", "duplicate key"),
    ("/etc/passwd", "a mapping"),
    ("", "Choose a YAML file"),
])
def test_a_bad_import_says_why_and_changes_nothing(themes_app, client, auth, text, message):
    auth.login("admin")
    before = rows(themes_app)
    fields = form_fields(client, "/reports/themes/codebook/import", 'name="text"')
    response = client.post("/reports/themes/codebook/import", data={**fields, "text": text})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert rows(themes_app) == before


def test_qdc_export_is_a_refi_qda_codebook(themes_app, client, auth):
    auth.login("equity_lead")
    response = client.get("/reports/themes/codebook/export?format=qdc")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.data)
    assert root.tag == f"{QDC}CodeBook" and root.get("origin") == "Common Ground"
    codes = root.find(f"{QDC}Codes")
    top = codes.findall(f"{QDC}Code")
    assert [c.get("name") for c in top] == ["Housing", "Transport", "Parks"]
    assert all(c.get("isCodable") == "true" for c in root.iter(f"{QDC}Code"))
    assert [c.get("name") for c in top[0].findall(f"{QDC}Code")] == ["Rent"]
    assert "landlord" in top[0].find(f"{QDC}Description").text
    # Deterministic GUIDs: the same theme has the same GUID in every export.
    again = ET.fromstring(client.get("/reports/themes/codebook/export?format=qdc").data)
    assert [c.get("guid") for c in again.iter(f"{QDC}Code")] == [c.get("guid") for c in root.iter(f"{QDC}Code")]
    assert len({c.get("guid") for c in root.iter(f"{QDC}Code")}) == 4


def test_cli_import_error_leaves_the_codebook_unchanged(themes_app, runner, tmp_path):
    before = rows(themes_app)
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - key: x\n    labels: {en: X}\n")
    result = runner.invoke(args=["themes", "import-codebook", str(bad)])
    assert result.exit_code == 1 and "nothing was imported" in result.output
    assert rows(themes_app) == before


def test_cli_imports_and_exports(app, runner, tmp_path):
    from tests.conftest import SURVEYS_DIR
    result = runner.invoke(args=["themes", "import-codebook", str(SURVEYS_DIR / "codebooks" / "community-themes.yaml")])
    assert result.exit_code == 0 and "32 themes (32 new" in result.output
    qdc = runner.invoke(args=["themes", "export-codebook", "--format", "qdc"])
    root = ET.fromstring(qdc.stdout_bytes)
    assert len(list(root.iter(f"{QDC}Code"))) == 32
    exported = runner.invoke(args=["themes", "export-codebook"]).output
    path = tmp_path / "again.yaml"
    path.write_text(exported, encoding="utf-8")
    assert "0 new, 0 changed, 0 removed" in runner.invoke(args=["themes", "import-codebook", str(path)]).output


def test_demo_loads_the_shipped_codebook_once(app):
    from app.themes.codebook import load_shipped_if_empty
    with app.app_context():
        assert load_shipped_if_empty() == 32
        db.session.commit()
        assert load_shipped_if_empty() == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CodebookTheme)) == 32


def test_the_codebook_stays_valid_when_the_last_theme_would_go(themes_app, client, auth):
    CODEBOOK_ONE = "themes:\n  - key: only\n    labels: {en: Only}\n    keywords: {en: [only]}\n"
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/import", 'name="text"')
    client.post("/reports/themes/codebook/import", data={**fields, "text": CODEBOOK_ONE})
    fields = form_fields(client, "/reports/themes/codebook/only/delete", "Remove the theme")
    response = client.post("/reports/themes/codebook/only/delete", data=fields)
    assert response.status_code == 422 and [r[0] for r in rows(themes_app)] == ["only"]
    assert CODEBOOK["themes"]  # the fixture's codebook is untouched for other tests
