"""Issue 10, item 11: a newcomer finds their way: the first admin from the printed command, each
role's own start page after signing in, and a README that stands alone."""
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import User
from tests.conftest import PASSWORD, REPO
from tests.forms import hidden_fields


def test_setup_prints_the_first_admin_command_until_there_is_one(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    command = first.output.strip().splitlines()[-1].strip()
    assert command == "flask --app wsgi users create you@example.org --role admin"
    args = command.split()[3:]  # what follows `flask --app wsgi`
    created = runner.invoke(args=args, input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    with empty_app.app_context():
        assert db.session.scalar(sa.select(User.role).where(User.email == "you@example.org")) == "admin"
    again = runner.invoke(args=["setup"]).output
    assert "users create" not in again and "residents answer at http://127.0.0.1:5000/s/community-needs" in again


@pytest.mark.parametrize("role, start", [("admin", "/admin/"), ("equity_lead", "/reports/"),
                                         ("facilitator", "/facilitate/"), ("partner", "/partner/")])
def test_each_role_lands_on_its_own_start_page(client, auth, role, start):
    response = auth.login(role)
    assert response.headers["Location"] == start
    assert client.get(start).status_code == 200


@pytest.mark.parametrize("role, start", [("admin", "/admin/"), ("equity_lead", "/reports/"),
                                         ("facilitator", "/facilitate/"), ("partner", "/partner/")])
def test_each_start_page_has_a_plain_title(client, auth, role, start):
    """The browser tab shows the title as text: markup in it would show as "<p><a href=…"."""
    auth.login(role)
    title = re.search(r"<title>(.*?)</title>", client.get(start).get_data(as_text=True), re.S).group(1)
    assert title.endswith("Common Ground") and "<" not in title


def test_a_safe_next_still_wins(client, app, auth):
    auth.login("facilitator")  # makes the account
    auth.logout()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=//evil.example/", data={**hidden_fields(html),
                                                                 "email": "facilitator@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/facilitate/"
    auth.logout()
    response = client.post("/login?next=/reports/representation", data={
        **hidden_fields(html), "email": "facilitator@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/reports/representation"


def test_readme_stands_alone_and_documents_the_contracts():
    readme = (REPO / "README.md").read_text()
    assert "../shared" not in readme and "DESIGN.md" not in readme
    assert "--organisation" in readme
    assert "flask --app wsgi users create you@example.org --role admin" in readme
    docs = {p.name: p.read_text() for p in (REPO / "docs").glob("*.md")}
    every = readme + "".join(docs.values()) + (REPO / "surveys" / "README.md").read_text()
    for contract in ["POST /api/v1/surveys/<slug>/responses", "/api/v1/reports/representation",
                     "tokens create EMAIL", "openapi.json", "\"kendalls_w\"",
                     '"sector_pairs_without_ties"', '"population_share"', "relevant:", "submission_id"]:
        assert contract in every, contract
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (REPO / link).exists(), link


def test_users_create_help_and_readme_agree_on_the_options():
    helptext = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "users", "create", "--help"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout
    readme = (REPO / "README.md").read_text()
    for option in re.findall(r"--[a-z]+", helptext):
        if option != "--help":
            assert option in readme, option
