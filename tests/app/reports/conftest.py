"""The demo initiative on each backend, seeded once per test module (seeding takes seconds)."""
import pytest

from app.core.extensions import db
from tests.conftest import BACKENDS, make_app, make_token, release_database


@pytest.fixture(scope="module", params=BACKENDS)
def demo_app(request, tmp_path_factory, instance_dir):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = make_app(url, instance_dir)
    with app.app_context():
        db.create_all()
        from app.demo import seed_demo
        from app.surveys.loader import load_surveys
        from tests.conftest import SURVEYS_DIR
        load_surveys(SURVEYS_DIR)
        seed_demo()
        db.session.commit()
        from app.themes import codebook as codebooks
        from app.themes.tagging import bring_up_to_date
        codebook, tag_hash = codebooks.current_codebook()
        bring_up_to_date(codebook, tag_hash, commit=db.session.commit)  # as `flask themes tag` does
    app.config["DEMO_TOKEN"] = make_token(app, "equity_lead", "lead@example.org")
    yield app
    release_database(app)


@pytest.fixture(scope="module")
def demo_client(demo_app):
    return demo_app.test_client()


def api(demo_app, demo_client, report: str, status: int = 200, **params):
    """GET /api/v1/reports/<report> with the equity lead's token; the JSON."""
    response = demo_client.get(f"/api/v1/reports/{report}", query_string=params,
                               headers={"Authorization": f"Bearer {demo_app.config['DEMO_TOKEN']}"})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()


@pytest.fixture(scope="module")
def lead(demo_app):
    """A test client signed in as an equity lead, for the pages."""
    from tests.conftest import Auth
    client = demo_app.test_client()
    Auth(demo_app, client).login("equity_lead", "lead-pages@example.org")
    return client


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)
