"""Partner performance measures: a partner reports its own measures per period; another
partner's measure is a 403; the backbone sees who reported, on time or late."""
import datetime as dt
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, MeasureReport, PartnerMeasure, Stakeholder
from tests.conftest import Auth, make_user


def _csrf(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _partners(app):
    with app.app_context():
        db.session.add_all([Stakeholder(id="foodbank", name="Riverside Food Bank", sector="nonprofit"),
                            Stakeholder(id="tenants", name="Tenants' Union", sector="resident_association")])
        db.session.flush()
        mine = PartnerMeasure(stakeholder_id="foodbank", title="Households reached", kind="how_much",
                              unit="households", frequency="quarter", target=400)
        theirs = PartnerMeasure(stakeholder_id="tenants", title="Repairs won", kind="better_off", frequency="quarter")
        db.session.add_all([mine, theirs])
        db.session.commit()
        return mine.id, theirs.id


def _partner_client(app, client):
    make_user(app, "partner", "food@example.org", stakeholder_id="foodbank")
    Auth(app, client).login("partner", "food@example.org")
    return client


def test_partner_reports_its_own_measure(app, client):
    mine, _theirs = _partners(app)
    _partner_client(app, client)
    page = client.get("/partner/measures").get_data(as_text=True)
    assert "Households reached" in page and "Repairs won" not in page  # only its own organisation's
    token = _csrf(client, "/partner/measures")
    response = client.post(f"/partner/measures/{mine}/report",
                           data={"csrf_token": token, "period": "2025-Q3", "value": "1,250", "note": "two new sites"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(MeasureReport))
        assert (row.measure_id, row.period, row.value, row.note) == (mine, "2025-Q3", 1250.0, "two new sites")
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "measure_report"))
    # A correction replaces the value and keeps the first report's date.
    first = _reported_at(app)
    client.post(f"/partner/measures/{mine}/report", data={"csrf_token": token, "period": "2025-Q3", "value": "1200"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeasureReport)) == 1
        assert db.session.scalar(sa.select(MeasureReport.value)) == 1200.0
    assert _reported_at(app) == first


def _reported_at(app):
    with app.app_context():
        return db.session.scalar(sa.select(MeasureReport.reported_at))


def test_partner_cannot_report_for_another_partner(app, client):
    _mine, theirs = _partners(app)
    _partner_client(app, client)
    token = _csrf(client, "/partner/measures")
    response = client.post(f"/partner/measures/{theirs}/report", data={"csrf_token": token, "period": "2025-Q3", "value": "3"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeasureReport)) == 0


def test_bad_report_is_refused_with_reasons_and_stores_nothing(app, client):
    mine, _theirs = _partners(app)
    _partner_client(app, client)
    token = _csrf(client, "/partner/measures")
    response = client.post(f"/partner/measures/{mine}/report", data={"csrf_token": token, "period": "2025-07", "value": "lots"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&#39;2025-07&#39; is not a period of this measure: write it like 2025-Q3." in page
    assert "&#39;lots&#39; is not a number." in page
    future = f"{dt.date.today().year + 1}-Q1"
    response = client.post(f"/partner/measures/{mine}/report", data={"csrf_token": token, "period": future, "value": "5"})
    assert response.status_code == 422 and "has not ended yet" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeasureReport)) == 0


def test_partner_adds_a_measure_for_its_own_organisation_only(app, client):
    _partners(app)
    _partner_client(app, client)
    token = _csrf(client, "/partner/measures")
    response = client.post("/partner/measures", data={"csrf_token": token, "title": "Share of families who eat better",
                                                      "kind": "better_off", "frequency": "year", "unit": "percent",
                                                      "stakeholder_id": "tenants"})
    assert response.status_code == 302
    with app.app_context():
        made = db.session.scalar(sa.select(PartnerMeasure).where(PartnerMeasure.title == "Share of families who eat better"))
        assert (made.stakeholder_id, made.kind, made.frequency) == ("foodbank", "better_off", "year")
    response = client.post("/partner/measures", data={"csrf_token": token, "title": "", "kind": "lots", "frequency": "day"})
    assert response.status_code == 422
    assert "Give the measure a name." in response.get_data(as_text=True)


def test_backbone_sees_who_reported_on_time_or_late(app, client):
    mine, theirs = _partners(app)
    with app.app_context():
        today = dt.date.today()
        from app.scorecard.periods import due_date, reportable
        last, before = reportable(today, "quarter")[-1], reportable(today, "quarter")[-2]
        db.session.add_all([
            MeasureReport(measure_id=mine, period=last, value=420, reported_at=dt.datetime.combine(today, dt.time())),
            MeasureReport(measure_id=mine, period=before, value=380,
                          reported_at=dt.datetime.combine(due_date(before, "quarter") + dt.timedelta(days=3), dt.time())),
        ])
        db.session.commit()
    Auth(app, client).login("equity_lead")
    page = client.get("/scorecard/partners").get_data(as_text=True)
    row = re.search(rf'<tr data-measure="{mine}">.*?</tr>', page, re.S).group(0)
    assert re.search(rf'data-period="{last}" data-state="(on_time|late)"', row)
    assert f'data-period="{before}" data-state="late"' in row
    assert "<strong>420</strong> <span class=\"partner-mark\">partner-reported</span>" in row
    other = re.search(rf'<tr data-measure="{theirs}">.*?</tr>', page, re.S).group(0)
    assert 'data-state="overdue"' in other and "partner-reported" not in other
