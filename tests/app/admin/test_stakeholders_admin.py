"""The registry pages: list and filter, create, edit, delete (refused while ties name it), manual ties."""
import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, Relationship, Stakeholder, User
from tests.app.admin.pages import submit
from tests.conftest import make_user

NEW = {"id": "rfb", "name": "Riverton Food Bank", "sector": "nonprofit", "kind": "food bank",
       "neighbourhood": "eastfield", "contact": "Jo Bloggs, 555 0100"}


@pytest.fixture
def admin(auth, client):
    auth.login("admin")
    return client


def add(app, **fields):
    with app.app_context():
        db.session.add(Stakeholder(**{"name": fields.get("id", "x").upper(), "sector": "other", **fields}))
        db.session.commit()


def tie(app, source, target, kind="referral"):
    with app.app_context():
        db.session.add(Relationship(source_id=source, target_id=target, type=kind, provenance="manual"))
        db.session.commit()


def stored(app, stakeholder_id):
    with app.app_context():
        s = db.session.get(Stakeholder, stakeholder_id)
        return s and (s.name, s.sector, s.kind, s.neighbourhood, s.contact)


def test_list_shows_name_sector_kind_neighbourhood(admin, app):
    add(app, id="rfb", name="Riverton Food Bank", sector="nonprofit", kind="food bank", neighbourhood="eastfield")
    html = admin.get("/admin/stakeholders").get_data(as_text=True)
    assert "Riverton Food Bank" in html and "Nonprofit or charity" in html
    assert "food bank" in html and "eastfield" in html and "1 stakeholder" in html


def test_list_filters_by_sector(admin, app):
    add(app, id="rfb", name="Riverton Food Bank", sector="nonprofit")
    add(app, id="city", name="City Council", sector="government")
    html = admin.get("/admin/stakeholders?sector=government").get_data(as_text=True)
    assert "City Council" in html and "Riverton Food Bank" not in html
    assert '<option value="government" selected>' in html


def test_names_are_escaped(admin, app):
    add(app, id="x", name="<script>alert(1)</script>")
    html = admin.get("/admin/stakeholders").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_create(admin, app):
    response = submit(admin, "/admin/stakeholders/new", NEW)
    assert response.status_code == 302
    assert stored(app, "rfb") == ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", "Jo Bloggs, 555 0100")
    assert "Riverton Food Bank was added to the registry." in admin.get("/admin/stakeholders").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "stakeholder_create")) \
            == "stakeholder:rfb"


@pytest.mark.parametrize("change, field, message", [
    ({"id": "food bank"}, "id", "id &#39;food bank&#39; must be 1 to 64 letters"),
    ({"id": ""}, "id", "id is required"),
    ({"name": " "}, "name", "name is required"),
    ({"sector": "churh"}, "sector", "sector &#39;churh&#39; is not one of"),
    ({"kind": "k" * 101}, "kind", "kind is longer than 100 characters"),
])
def test_create_shows_errors_by_the_field(admin, app, change, field, message):
    response = submit(admin, "/admin/stakeholders/new", {**NEW, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}' in html
    assert f'aria-describedby="{field}-error"' in html or f'aria-describedby="{field}-hint {field}-error"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Stakeholder)) == 0


def test_create_refuses_an_existing_id(admin, app):
    add(app, id="rfb", name="Original")
    response = submit(admin, "/admin/stakeholders/new", NEW)
    assert response.status_code == 422
    assert "A stakeholder with the id &#39;rfb&#39; exists already." in response.get_data(as_text=True)
    assert stored(app, "rfb")[0] == "Original"


def test_create_without_csrf_token_is_refused(admin, app):
    response = admin.post("/admin/stakeholders/new", data=NEW)
    assert response.status_code == 400
    assert stored(app, "rfb") is None


def test_edit_shows_and_changes_the_contact(admin, app):
    add(app, id="rfb", name="Food Bank", contact="old@rfb.org")
    assert "old@rfb.org" in admin.get("/admin/stakeholders/rfb/edit").get_data(as_text=True)
    response = submit(admin, "/admin/stakeholders/rfb/edit", {**NEW, "id": "ignored", "contact": "new@rfb.org"})
    assert response.status_code == 302
    assert stored(app, "rfb") == ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", "new@rfb.org")
    assert stored(app, "ignored") is None


def test_contact_keeps_its_line_breaks(admin, app):
    add(app, id="rfb", name="Food Bank")
    response = submit(admin, "/admin/stakeholders/rfb/edit", {**NEW, "contact": "Jo Bloggs\r\n555 0100\r\n"})
    assert response.status_code == 302
    assert stored(app, "rfb")[4] == "Jo Bloggs\n555 0100"


def test_edit_is_audited_by_field_name_without_the_contact(admin, app):
    add(app, id="rfb", name="Food Bank", contact="old@rfb.org")
    submit(admin, "/admin/stakeholders/rfb/edit", {**NEW, "contact": "new@rfb.org"})
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "stakeholder_update"))
        assert event.details == {"fields": ["name", "sector", "kind", "neighbourhood", "contact"]}
        assert "new@rfb.org" not in str(event.details)


def test_edit_unknown_stakeholder_is_404(admin):
    assert admin.get("/admin/stakeholders/nope/edit").status_code == 404


def test_delete_without_ties(admin, app):
    add(app, id="rfb")
    response = submit(admin, "/admin/stakeholders/rfb/delete", {})
    assert response.status_code == 302 and stored(app, "rfb") is None


def test_delete_is_refused_while_ties_name_it(admin, app):
    add(app, id="rfb")
    add(app, id="city")
    tie(app, "city", "rfb")
    response = submit(admin, "/admin/stakeholders/rfb/delete", {})
    assert response.status_code == 409
    assert "1 tie names this stakeholder. Tick the box" in response.get_data(as_text=True)
    assert stored(app, "rfb") is not None


def test_delete_with_confirmation_removes_its_ties_and_unlinks_accounts(admin, app):
    add(app, id="rfb")
    add(app, id="city")
    tie(app, "city", "rfb")
    tie(app, "rfb", "city", "funding")
    partner = make_user(app, "partner", "p@rfb.org", stakeholder_id="rfb")
    response = submit(admin, "/admin/stakeholders/rfb/delete", {"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Stakeholder, "rfb") is None and db.session.get(Stakeholder, "city") is not None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Relationship)) == 0
        assert db.session.get(User, partner).stakeholder_id is None
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "stakeholder_delete"))
        assert event.details["ties"] == 2


def test_add_a_manual_tie(admin, app):
    add(app, id="rfb", name="Food Bank")
    add(app, id="city", name="City Council")
    response = submit(admin, "/admin/relationships/new",
                      {"source": "rfb", "target": "city", "type": "shared_data", "weight": "2.5", "date": "2026-05-01"})
    assert response.status_code == 302
    with app.app_context():
        r = db.session.scalar(sa.select(Relationship))
        assert (r.source_id, r.target_id, r.type, r.weight, str(r.date), r.provenance) == \
            ("rfb", "city", "shared_data", 2.5, "2026-05-01", "manual")
    html = admin.get("/admin/relationships").get_data(as_text=True)
    assert "Food Bank" in html and "Shares data with" in html and "Added by an admin" in html


@pytest.mark.parametrize("change, field, message", [
    ({"target": "rfb"}, "target", "a stakeholder cannot have a tie with itself"),
    ({"target": "gone"}, "target", "target &#39;gone&#39; is not in the registry"),
    ({"weight": "0"}, "weight", "weight must be a number more than 0"),
    ({"date": "yesterday"}, "date", "date &#39;yesterday&#39; is not a date in the form YYYY-MM-DD"),
])
def test_manual_tie_errors_by_the_field(admin, app, change, field, message):
    add(app, id="rfb")
    add(app, id="city")
    data = {"source": "rfb", "target": "city", "type": "referral", "weight": "1", "date": "", **change}
    response = submit(admin, "/admin/relationships/new", data)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Relationship)) == 0


def test_delete_a_tie(admin, app):
    add(app, id="rfb")
    add(app, id="city")
    tie(app, "rfb", "city")
    with app.app_context():
        tie_id = db.session.scalar(sa.select(Relationship.id))
    response = submit(admin, "/admin/relationships", {}, action=f"/admin/relationships/{tie_id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Relationship, tie_id) is None


def test_ties_of_one_stakeholder(admin, app):
    for sid in ("rfb", "city", "school"):
        add(app, id=sid, name=sid.title())
    tie(app, "rfb", "city")
    tie(app, "city", "school")
    html = admin.get("/admin/relationships?stakeholder=rfb").get_data(as_text=True)
    assert "Ties of Rfb" in html and "1 tie" in html and "School" not in html
