"""Issue 10, items 9 and 11 in a real browser: a newcomer runs `setup --demo` on a fresh SQLite
instance, follows the printed next steps (the resident URL, the first admin), signs in and lands on
the admin's page; then picks Arabic, which lays the staff pages out right to left and stays on the
account."""
import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app.core.extensions import db
from app.models import User
from tests.browser.conftest import ARTIFACTS, CHROMIUM, sign_in
from tests.conftest import PASSWORD, make_app

LOCAL = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """(app, base URL, what `setup --demo` printed) for a fresh instance, served on loopback."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("newcomer")
    app = make_app(f"sqlite:///{tmp / 'fresh.sqlite'}", tmp)
    setup = app.test_cli_runner().invoke(args=["setup", "--demo"])
    assert setup.exit_code == 0, setup.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}", setup.output
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def test_newcomer_follows_the_printed_steps_and_lands_on_the_admin_page(newcomer, browser):
    app, base, printed = newcomer
    lines = [line.strip() for line in printed.strip().splitlines()]
    resident_url = next(line.split(" at ", 1)[1] for line in lines if line.startswith("residents answer at "))
    command = lines[-1]
    assert command.startswith("flask --app wsgi users create ") and command.endswith(" --role admin")
    # The printed command, as printed (its password on standard input, as a script would give it).
    created = app.test_cli_runner().invoke(args=command.split()[3:], input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    email = command.split()[5]

    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(resident_url.replace(LOCAL, base))
    assert page.locator("#consent").is_visible()  # the printed address is the resident survey
    sign_in(page, base, email)
    assert page.url == f"{base}/admin/"
    # The staff picker: Arabic, kept on the account, right to left.
    page.click("nav.staff-langs button[value=ar]")
    assert page.url == f"{base}/admin/"
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    brand = page.locator("header.staff .brand").bounding_box()
    assert brand["x"] > 1024 / 2  # the header starts on the right
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-admin-ar-1024.png"), full_page=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User.locale).where(User.email == email)) == "ar"
    context.close()

    # Another browser, English by default: after signing in, the account's Arabic comes back.
    other = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = other.new_page()
    sign_in(page, base, email)
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(f"{base}/reports/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "staff-reports-ar-1024.png"), full_page=True)
    other.close()
