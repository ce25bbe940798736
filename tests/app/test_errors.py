"""A form the server cannot check (its CSRF token is missing or from another sign-in) is refused
with a clear message in the person's language and a way back, and nothing is changed."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Stakeholder

FORM = {"id": "new-org", "name": "New organisation", "sector": "nonprofit", "kind": "", "neighbourhood": ""}


def stakeholder_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Stakeholder))


def test_a_form_without_its_token_is_refused_in_the_persons_language(app, client, auth):
    auth.login("admin")
    before = stakeholder_count(app)
    response = client.post("/admin/stakeholders/new", data=FORM, headers={
        "Accept-Language": "es", "Referer": "http://localhost/admin/stakeholders/new"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "no se guardó ni se cambió nada" in html
    assert 'href="http://localhost/admin/stakeholders/new"' in html
    assert stakeholder_count(app) == before


def test_the_way_back_never_leads_off_the_site(app, client, auth):
    auth.login("admin")
    html = client.post("/admin/stakeholders/new", data=FORM,
                       headers={"Referer": "https://evil.example/phish"}).get_data(as_text=True)
    assert "could not be checked" in html and "evil.example" not in html


def test_a_script_asking_for_json_gets_json(app, client, auth):
    auth.login("admin")
    response = client.post("/admin/stakeholders/new", data=FORM, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "form_expired" and "could not be checked" in response.get_json()["message"]
