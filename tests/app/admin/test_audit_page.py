"""The audit log page: newest first, 50 to a page, filtered by action; exports are recorded."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, User


@pytest.fixture
def admin(auth, client):
    auth.login("admin")
    return client


def add_events(app, count, action="export", start=dt.datetime(2026, 1, 1, 9, 0)):
    """`count` events, one a minute, each with its number as the target."""
    with app.app_context():
        db.session.add_all(AuditEvent(action=action, target=f"survey:{i}", at=start + dt.timedelta(minutes=i),
                                      details={"format": "csv"}, address="10.0.0.7") for i in range(count))
        db.session.commit()


def targets(html) -> list[str]:
    return re.findall(r"<td>(survey:\d+)</td>", html)


def test_newest_first(admin, app):
    add_events(app, 3)
    assert targets(admin.get("/admin/audit?action=export").get_data(as_text=True)) == ["survey:2", "survey:1", "survey:0"]


def test_shows_who_action_target_details_address_and_time(admin, app):
    with app.app_context():
        admin_id = db.session.scalar(sa.select(User.id).where(User.email == "admin@example.org"))
        db.session.add(AuditEvent(action="role_change", target="user:9", user_id=admin_id, address="192.0.2.1",
                                  details={"before": "facilitator", "after": "equity_lead"},
                                  at=dt.datetime(2026, 2, 3, 4, 5, 6)))
        db.session.commit()
    html = admin.get("/admin/audit?action=role_change").get_data(as_text=True)
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    for text in ("admin@example.org", "<code>role_change</code>", "user:9", "after: equity_lead",
                 "before: facilitator", "192.0.2.1", "2026-02-03 04:05:06"):
        assert text in row


def test_fifty_per_page(admin, app):
    add_events(app, 120)
    first = admin.get("/admin/audit?action=export").get_data(as_text=True)
    third = admin.get("/admin/audit?action=export&page=3").get_data(as_text=True)
    assert len(targets(first)) == 50 and targets(first)[0] == "survey:119"
    assert targets(third) == [f"survey:{i}" for i in range(19, -1, -1)]
    assert "Page 1 of 3" in first and 'href="/admin/audit?page=2&amp;action=export"' in first


@pytest.mark.parametrize("page", ["0", "-4", "abc", "99999999999999999999999"])
def test_out_of_range_pages_show_the_nearest(admin, app, page):
    add_events(app, 60)
    response = admin.get(f"/admin/audit?action=export&page={page}")
    assert response.status_code == 200 and len(targets(response.get_data(as_text=True))) in (50, 10)


def test_filter_by_action(admin, app):
    add_events(app, 2, action="export")
    add_events(app, 1, action="import")
    html = admin.get("/admin/audit?action=import").get_data(as_text=True)
    assert targets(html) == ["survey:0"] and "1 event" in html
    assert '<option value="import" selected>import</option>' in html
    assert '<option value="export">export</option>' in html


def test_details_are_escaped(admin, app):
    with app.app_context():
        db.session.add(AuditEvent(action="login_failed", target="<b>x</b>", details={"note": "<img src=x>"}))
        db.session.commit()
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert "<b>x</b>" not in html and "<img src=x>" not in html and "&lt;img src=x&gt;" in html


def test_cli_export_is_recorded(runner, surveys, app):
    result = runner.invoke(args=["export", "responses", "--survey", "community-needs", "--format", "json"])
    assert result.exit_code == 0
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.target, event.details, event.user_id) == ("survey:community-needs",
                                                               {"via": "cli", "format": "json"}, None)


def test_cli_focus_group_export_is_recorded(runner, app):
    result = runner.invoke(args=["export", "focus-groups", "--format", "csv"])
    assert result.exit_code == 0
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.target, event.details) == ("focus-groups", {"via": "cli", "format": "csv"})


def test_failed_cli_export_records_nothing(runner, app):
    result = runner.invoke(args=["export", "responses", "--survey", "nope"])
    assert result.exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
