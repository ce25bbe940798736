"""A live server on loopback and Debian's Chromium driven by Playwright (no browser download)."""
import os
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app.core.extensions import db
from tests.conftest import BACKENDS, PASSWORD, SURVEYS_DIR, drop_database, create_database, make_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Flags for a sandboxed, offline machine: no first-run, sync or background network chatter.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def serve(request, tmp_path_factory, seed):
    """(app, base URL) of a server on loopback over a new database filled by `seed()`:
    SQLite, or with the `postgresql` parameter a PostgreSQL database made for this module."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("live")
    pg_url = None
    if request.param == "postgresql":
        base = sa.make_url(os.environ["TEST_DATABASE_URL"])
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        pg_url = create_database(base, f"{base.database}_{worker}_{request.fixturename}")
        database_url = pg_url.render_as_string(hide_password=False)
    else:
        database_url = f"sqlite:///{tmp / 'live.sqlite'}"
    app = make_app(database_url, tmp)
    with app.app_context():
        db.create_all()
        from app.surveys.loader import load_surveys
        load_surveys(SURVEYS_DIR)
        seed()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if pg_url is not None:
        drop_database(pg_url)


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(request, tmp_path_factory):
    """The surveys and the registry of stakeholders, no answers yet."""
    from app.demo import _seed_stakeholders
    yield from serve(request, tmp_path_factory, _seed_stakeholders)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_server(request, tmp_path_factory):
    """Everything `setup --demo` loads: resident and partner answers, baselines, ties, the codebook."""
    from app.demo import seed_demo
    yield from serve(request, tmp_path_factory, seed_demo)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A 360×740 phone screen with JavaScript switched off, as the cheapest phones behave."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the real form, with the tests' password."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
