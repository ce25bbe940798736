"""CSV imports in the browser: upload → preview → apply for each kind, refused files, one apply."""
import io
import re

import pytest
import sqlalchemy as sa

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.core.extensions import db
from app.models import AuditEvent, ImportUpload, PopulationBaseline, Stakeholder
from tests.app.stakeholders.helpers import registry, ties
from tests.forms import form_action, hidden_fields

HEADER = "id,name,sector,kind,neighbourhood\n"
STAKEHOLDERS = HEADER + "rfb,Riverton Food Bank,nonprofit,food bank,eastfield\ncity,City Council,government,,\n"
#: The arrow between before and after (mirrored in right-to-left pages by the style sheet).
ARROW = '<span class="cg-arrow" aria-hidden="true">→</span>'
BASELINE = """geography,dimension,category,population,year,source
city,age_band,under_18,2200,2024,Census
city,age_band,18_24,1000,2024,Census
city,age_band,25_44,3000,2024,Census
city,age_band,45_64,2300,2024,Census
city,age_band,65_plus,1500,2024,Census
"""


@pytest.fixture
def admin(auth, client, app):
    """An admin, with the shipped surveys loaded (their dimensions check baselines) and no registry."""
    from app.surveys.loader import load_surveys
    from tests.conftest import SURVEYS_DIR
    with app.app_context():
        load_surveys(SURVEYS_DIR)
        db.session.commit()
    auth.login("admin")
    return client


def upload(client, kind, content, name="file.csv", headers=None, **fields):
    """Post a file through the upload form of the kind's page, as a browser would. The body is
    encoded here, in memory: the test client would spool a large one to a file that a refusal
    (which never reads it) leaves open."""
    html = client.get(f"/admin/imports/{kind}").get_data(as_text=True)
    data = content.encode() if isinstance(content, str) else content
    boundary, body = encode_multipart(MultiDict(
        {**hidden_fields(html, -1), "file": FileStorage(io.BytesIO(data), name), **fields}))
    return client.post(f"/admin/imports/{kind}", data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def apply(client, preview_url):
    """Press Apply on the preview page; returns (response, the form that was posted)."""
    html = client.get(preview_url).get_data(as_text=True)
    fields, action = hidden_fields(html, -1), form_action(html, -1)
    return client.post(action, data=fields), (action, fields)


def audit_rows(app, action):
    with app.app_context():
        return [(e.target, e.details) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_stakeholders_upload_preview_apply(admin, app):
    before = registry(app)
    with app.app_context():  # an existing stakeholder the file renames, and one it leaves alone
        db.session.add_all([Stakeholder(id="rfb", name="Old Food Bank", sector="other"),
                            Stakeholder(id="same", name="Same Org", sector="faith")])
        db.session.commit()
    response = upload(admin, "stakeholders", STAKEHOLDERS + "same,Same Org,faith,,\n", name="orgs.csv")
    assert response.status_code == 303
    preview = admin.get(response.headers["Location"])
    page = text(preview)
    assert "Preview of orgs.csv" in page
    assert re.search(r"New</span> <strong>1</strong>.*Updated</span> <strong>1</strong>.*Unchanged</span> <strong>1</strong>", page)
    assert f"<del>Old Food Bank</del> {ARROW} <ins>Riverton Food Bank</ins>" in page
    assert f"<del>Other</del> {ARROW} <ins>Nonprofit or charity</ins>" in page
    assert "City Council (city)" in page
    assert registry(app)["rfb"][0] == "Old Food Bank"  # nothing changed by the preview
    applied, _form = apply(admin, response.headers["Location"])
    assert applied.status_code == 303
    done = text(admin.get(applied.headers["Location"]))
    assert "The file was applied." in done and "See the registry" in done
    now = registry(app)
    assert now["rfb"] == ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", "")
    assert now["city"] == ("City Council", "government", "", "", "")
    assert len(now) == len(before) + 3
    [(target, details)] = audit_rows(app, "import")
    assert target == "stakeholders"
    assert (details["via"], details["file"], details["created"], details["updated"], details["unchanged"]) == \
        ("web", "orgs.csv", 1, 1, 1)


def test_apply_twice_applies_once(admin, app):
    response = upload(admin, "stakeholders", STAKEHOLDERS)
    first, (action, fields) = apply(admin, response.headers["Location"])
    again = admin.post(action, data=fields)  # the double-click: the same form once more
    assert first.status_code == again.status_code == 303
    assert "applied already; it was not applied again" in text(admin.get(again.headers["Location"]))
    assert len(audit_rows(app, "import")) == 1
    with app.app_context():
        stored = db.session.scalar(sa.select(ImportUpload))
        assert stored.applied_at is not None and stored.data == b""  # the bytes are not kept once applied
        assert stored.result == {"created": 2, "updated": 0, "unchanged": 0}


def test_a_bad_file_changes_nothing_and_lists_every_row(admin, app):
    before = registry(app)
    bad = HEADER + "rfb,Food Bank,nonprofit,,\nabc,ABC,churh,,\nrfb,Again,other,,\n"
    response = upload(admin, "stakeholders", bad, name="bad.csv")
    page = text(response)
    assert response.status_code == 422
    assert "bad.csv was not imported: 2 problems." in page and "Nothing was changed." in page
    assert "row 3: sector &#39;churh&#39; is not one of" in page
    assert "row 4: id &#39;rfb&#39; appears again (first on row 2)" in page
    assert registry(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportUpload)) == 0
    assert audit_rows(app, "import_failed") == [("stakeholders", {"via": "web", "file": "bad.csv", "problems": 2})]
    assert audit_rows(app, "import") == []


@pytest.mark.parametrize("content, message", [
    ("id,name,sector\nrfb,Café,nonprofit\n".encode("latin-1"), "the file is not UTF-8 text (line 2)"),
    (b"PK\x03\x04" + bytes(200), "this is a spreadsheet workbook, not a CSV file"),
    (b"%PDF-1.7\n" + bytes(100), "this is a PDF, not a CSV file"),
    ("id,name\nrfb,Food Bank\n", "missing column: sector"),
    ("", "the file is empty: its first line must name the columns id, name, sector, kind, neighbourhood"),
])
def test_files_that_are_not_the_csv_we_need(admin, app, content, message):
    before = registry(app)
    response = upload(admin, "stakeholders", content)
    assert response.status_code == 422 and message in text(response).replace("&#34;", '"')
    assert registry(app) == before


@pytest.mark.parametrize("size", [1024 * 1024 + 10, 3 * 1024 * 1024])  # just over; far over (not read at all)
def test_a_file_too_big_is_refused_with_a_message(admin, app, size):
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    response = upload(admin, "stakeholders", HEADER + "x" * size)
    assert response.status_code == 413
    assert "The file is larger than 1 MB" in text(response)
    assert audit_rows(app, "import_failed")[0][1]["problems"] == 1
    assert registry(app) == {}


def test_no_file_chosen(admin, app):
    html = admin.get("/admin/imports/stakeholders").get_data(as_text=True)
    response = admin.post("/admin/imports/stakeholders", content_type="multipart/form-data",
                          data=hidden_fields(html, -1))
    assert response.status_code == 422 and "Choose a CSV file to upload." in text(response)


def test_messages_are_in_the_admins_language(admin, app):
    response = upload(admin, "stakeholders", "id,name\nrfb,Food Bank\n", headers={"Accept-Language": "fr"})
    page = text(response)
    assert "colonne manquante : sector" in page and "Rien n\u2019a été modifié." in page


def test_an_upload_needs_the_form_token(admin, app):
    response = admin.post("/admin/imports/stakeholders", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(STAKEHOLDERS.encode()), "x.csv")})
    assert response.status_code == 400 and registry(app).get("rfb") is None


def test_relationships_preview_shows_added_and_reweighted_ties(admin, app):
    upload(admin, "stakeholders", STAKEHOLDERS)
    apply(admin, upload(admin, "stakeholders", STAKEHOLDERS).headers["Location"])
    first = "source,target,type,weight,date\nrfb,city,referral,1,\n"
    apply(admin, upload(admin, "relationships", first).headers["Location"])
    second = "source,target,type,weight,date\nrfb,city,referral,3,\ncity,rfb,funding,2.5,2026-03-01\n"
    response = upload(admin, "relationships", second, name="ties.csv")
    page = text(admin.get(response.headers["Location"]))
    assert "Riverton Food Bank → City Council: Refers people to" in page
    assert "City Council → Riverton Food Bank: Is funded by, 2026-03-01" in page
    assert re.search(r"Tie added</span> <strong>1</strong>.*Weight updated</span> <strong>1</strong>", page)
    assert f"<del>1</del> {ARROW} <ins>3</ins>" in page
    apply(admin, response.headers["Location"])
    assert ties(app) == [("rfb", "city", "referral", 3.0, None, "import"),
                         ("city", "rfb", "funding", 2.5, __import__("datetime").date(2026, 3, 1), "import")]


def test_relationships_with_unknown_stakeholders_are_refused(admin, app):
    response = upload(admin, "relationships", "source,target,type,weight,date\nnobody,city,referral,,\n")
    assert response.status_code == 422
    assert "row 2: source &#39;nobody&#39; is not in the registry" in text(response)
    assert ties(app) == []


def stored_baselines(app):
    with app.app_context():
        return {(b.geography, b.dimension, b.category): b.population
                for b in db.session.scalars(sa.select(PopulationBaseline))}


def test_baseline_upload_preview_apply_shows_before_and_after(admin, app):
    apply(admin, upload(admin, "baseline", BASELINE).headers["Location"])
    assert stored_baselines(app)[("city", "age_band", "45_64")] == 2300
    response = upload(admin, "baseline", BASELINE.replace("2300", "2400"), name="fix.csv")
    page = text(admin.get(response.headers["Location"]))
    assert "city · Age: 45 to 64 (2024)" in page
    assert f"Population: <del>2,300</del> {ARROW} <ins>2,400</ins>" in page
    assert re.search(r"Updated</span> <strong>1</strong>.*Unchanged</span> <strong>4</strong>", page)
    assert stored_baselines(app)[("city", "age_band", "45_64")] == 2300
    apply(admin, response.headers["Location"])
    assert stored_baselines(app)[("city", "age_band", "45_64")] == 2400
    assert [d["file"] for _t, d in audit_rows(app, "import")] == ["file.csv", "fix.csv"]


def test_baseline_census_table_with_a_mapping_file(admin, app):
    mapping = ("geography: NAME\nyear: 2021\nsource: Census\ncolumns:\n"
               "  A0_4: {dimension: age_band, category: under_18}\n  A5_17: {dimension: age_band, category: under_18}\n")
    response = upload(admin, "baseline", "NAME,A0_4,A5_17\neastfield,100,250\n",
                      mapping=FileStorage(io.BytesIO(mapping.encode()), "map.yaml"))
    assert response.status_code == 303, text(response)
    apply(admin, response.headers["Location"])
    assert stored_baselines(app) == {("eastfield", "age_band", "under_18"): 350}


def test_bad_baseline_file_lists_rows_and_is_audited(admin, app):
    bad = BASELINE + "city,age_band,ancient,5,2024,x\ncity,gender,woman,-3,2024,x\n"
    response = upload(admin, "baseline", bad, name="census.csv")
    page = text(response)
    assert response.status_code == 422
    assert "row 7: category &#39;ancient&#39; is not a category of age_band" in page
    assert "row 8: population -3 is negative" in page
    assert stored_baselines(app) == {}
    assert audit_rows(app, "import_failed") == [("baseline", {"via": "web", "file": "census.csv", "problems": 2})]


def test_apply_is_refused_when_the_registry_changed_since_the_preview(admin, app):
    response = upload(admin, "stakeholders", STAKEHOLDERS)
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():  # someone adds "rfb" by hand meanwhile: the preview's "new" is out of date
        db.session.add(Stakeholder(id="rfb", name="Hand made", sector="other"))
        db.session.commit()
    refused = admin.post(form_action(html, -1), data=hidden_fields(html, -1))
    page = text(admin.get(refused.headers["Location"]))
    assert "Nothing was applied: the figures changed since this preview was made." in page
    assert registry(app)["rfb"][0] == "Hand made" and "city" not in registry(app)
    assert audit_rows(app, "import") == []
    ok, _form = apply(admin, response.headers["Location"])  # the new preview applies
    assert registry(app)["rfb"][0] == "Riverton Food Bank"


def test_a_preview_of_another_kind_or_token_is_not_found(admin, app):
    response = upload(admin, "stakeholders", STAKEHOLDERS)
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert admin.get(f"/admin/imports/baseline/{token}").status_code == 404
    assert admin.get("/admin/imports/stakeholders/nope").status_code == 404
    assert admin.get("/admin/imports/nothing").status_code == 404


def test_two_applies_at_the_same_moment_apply_once(admin, app):
    """A double-click that reaches two app threads together: one claim wins, the other waits for
    it and finds the upload applied (SQLite's single writer; PostgreSQL's row lock)."""
    import threading
    response = upload(admin, "stakeholders", STAKEHOLDERS)
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    action, fields = form_action(html, -1), hidden_fields(html, -1)
    clients = [admin, app.test_client()]
    clients[1].set_cookie("session", admin.get_cookie("session").value)
    barrier, statuses = threading.Barrier(2), []

    def press(client):
        barrier.wait()
        statuses.append(client.post(action, data=fields).status_code)
    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303, 303]
    assert len(audit_rows(app, "import")) == 1
    assert {"rfb", "city"} <= set(registry(app))


def test_baseline_shares_are_previewed_as_percentages(admin, app):
    shares = "geography,dimension,category,population\ncity,gender,woman,0.51\ncity,gender,man,0.48\ncity,gender,non_binary,0.01\n"
    response = upload(admin, "baseline", shares)
    page = text(admin.get(response.headers["Location"]))
    assert "city · Gender: Woman (–)" in page and "Population: <ins>51 %</ins>" in page
    apply(admin, response.headers["Location"])
    assert stored_baselines(app)[("city", "gender", "woman")] == 510_000
    response = upload(admin, "baseline", shares.replace("0.51", "0.5").replace("0.48", "0.49"))
    page = text(admin.get(response.headers["Location"]))
    assert f"Population: <del>51 %</del> {ARROW} <ins>50 %</ins>" in page


def test_the_apply_does_not_depend_on_the_language_of_the_preview(admin, app):
    response = upload(admin, "stakeholders", STAKEHOLDERS)
    html = admin.get(response.headers["Location"], headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Aperçu de file.csv" in html
    applied = admin.post(form_action(html, -1), data=hidden_fields(html, -1), headers={"Accept-Language": "es"})
    assert "Se aplicó el archivo." in text(admin.get(applied.headers["Location"], headers={"Accept-Language": "es"}))
    assert {"rfb", "city"} <= set(registry(app))


def test_a_preview_that_no_longer_passes_is_not_applied_and_the_failure_is_audited(admin, app):
    apply(admin, upload(admin, "stakeholders", STAKEHOLDERS).headers["Location"])
    response = upload(admin, "relationships", "source,target,type,weight,date\nrfb,city,referral,2,\n", name="ties.csv")
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():  # the council leaves the registry between the preview and the apply
        db.session.delete(db.session.get(Stakeholder, "city"))
        db.session.commit()
    refused = admin.post(form_action(html, -1), data=hidden_fields(html, -1))
    page = admin.get(refused.headers["Location"])
    assert page.status_code == 409
    assert "Nothing was applied: the file no longer passes the checks." in text(page)
    assert "row 2: target &#39;city&#39; is not in the registry" in text(page)
    assert ties(app) == []
    assert audit_rows(app, "import_failed") == [("relationships", {"via": "web", "file": "ties.csv", "problems": 1})]
