"""Admin pages for device tokens: make one (URL and QR code shown once), list, revoke."""
import base64
import json
import re
import zlib

import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, DeviceToken
from app.openrosa.devices import collect_settings
from tests.app.openrosa.collect import Collect
from tests.forms import hidden_fields


def test_admin_makes_a_device_token_with_a_qr_code_and_revokes_it(surveys, client, auth):
    auth.login("admin")
    page = client.get("/admin/devices")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="community-needs"' in html and 'value="partner-survey"' in html
    made = client.post("/admin/devices", data={**hidden_fields(html), "name": "Tablet 3",
                                               "surveys": ["community-needs"]})
    assert made.status_code == 201
    html = made.get_data(as_text=True)
    url = re.search(r'id="server-url" readonly size="60" value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"http://localhost/openrosa/key/cgd_[A-Za-z0-9_-]{32}", url)
    assert "<svg" in html and "QR code for ODK Collect" in html
    # The URL works as Collect's server URL.
    collect = Collect(client, url)
    assert list(collect.forms()) == ["community-needs"]
    with surveys.app_context():
        device = db.session.scalar(sa.select(DeviceToken))
        assert (device.name, device.surveys, device.revoked_at) == ("Tablet 3", ["community-needs"], None)
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.target == f"device:{device.id}")) \
            == "device_token_create"
        device_id = device.id
    listing = client.get("/admin/devices").get_data(as_text=True)
    assert url not in listing  # shown once
    revoked = client.post(f"/admin/devices/{device_id}/revoke", data=hidden_fields(listing), follow_redirects=True)
    assert "The device token was revoked" in revoked.get_data(as_text=True)
    assert collect.form_list().status_code == 401


def test_admin_form_refuses_no_name_or_no_survey(surveys, client, auth):
    auth.login("admin")
    html = client.get("/admin/devices").get_data(as_text=True)
    response = client.post("/admin/devices", data={**hidden_fields(html), "name": "", "surveys": []})
    assert response.status_code == 422
    assert "Choose at least one survey." in response.get_data(as_text=True)
    response = client.post("/admin/devices", data={**hidden_fields(html), "name": "X", "surveys": ["nope"]})
    assert response.status_code == 422
    with surveys.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DeviceToken)) == 0


def test_collect_settings_are_zlib_compressed_base64_json():
    payload = collect_settings("https://cg.example.org/openrosa/key/cgd_abc", "Common Ground · Tablet")
    settings = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings == {"general": {"server_url": "https://cg.example.org/openrosa/key/cgd_abc",
                                    "form_update_mode": "match_exactly", "autosend": "wifi_and_cellular"},
                        "admin": {}, "project": {"name": "Common Ground · Tablet"}}
