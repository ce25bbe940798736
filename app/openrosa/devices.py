"""Device tokens: what an admin gives a device so ODK Collect (or Enketo) can collect for chosen surveys.

As with ODK Central's app users, the token sits in the server URL the device is set up with
(``…/openrosa/key/<token>``; Collect adds ``/formList`` and ``/submission``), because Collect
sends no credentials of its own to such a server. The token is shown once and stored only as
a SHA-256 hash; it lists, serves and takes answers for its surveys only, and once revoked the
device is refused (401). Only flushes; the caller commits.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import zlib

import segno
import sqlalchemy as sa
from flask import url_for

from app.core import audit
from app.core.extensions import db
from app.models import DeviceToken
from app.models.base import utcnow

#: Told apart from API tokens (cg_) and invitation tokens (cgi_) at a glance.
DEVICE_PREFIX = "cgd_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_device_token(name: str, survey_slugs: list[str], user=None) -> tuple[DeviceToken, str]:
    """A new device token for `survey_slugs`, and the token itself (shown once, never stored)."""
    token = DEVICE_PREFIX + secrets.token_urlsafe(24)
    device = DeviceToken(name=name, token_hash=_digest(token), prefix=token[:10], surveys=list(survey_slugs),
                         created_by=getattr(user, "id", None))
    db.session.add(device)
    db.session.flush()
    audit.record("device_token_create", f"device:{device.id}", user=user, surveys=list(survey_slugs))
    return device, token


def device_for_token(token: str) -> DeviceToken | None:
    """The live device token `token` is, or None (unknown or revoked)."""
    if not token.startswith(DEVICE_PREFIX):
        return None
    return db.session.scalar(sa.select(DeviceToken).where(
        DeviceToken.token_hash == _digest(token), DeviceToken.revoked_at.is_(None)))


def mark_used(device: DeviceToken) -> None:
    """Note the device was seen; at most once a minute, so a batch of 50 sends writes it once."""
    now = utcnow()
    if device.last_used_at is None or (now - device.last_used_at).total_seconds() > 60:
        device.last_used_at = now


def revoke_device_token(device: DeviceToken, user=None) -> bool:
    """Revoke it (audited); False when it was revoked already."""
    if device.revoked_at is not None:
        return False
    device.revoked_at = utcnow()
    audit.record("device_token_revoke", f"device:{device.id}", user=user)
    db.session.flush()
    return True


def server_url(token: str, base_url: str | None = None) -> str:
    """The server URL to enter in ODK Collect: the form list and submission URLs hang under it."""
    if base_url:
        return f"{base_url.rstrip('/')}/openrosa/key/{token}"
    return url_for("openrosa.root", token=token, _external=True).rstrip("/")


def collect_settings(url: str, project_name: str) -> str:
    """ODK Collect's settings as its QR code carries them: JSON, zlib-compressed, base64.

    Collect reads `general.server_url` (no username or password: the token is in the URL),
    and `project.name` names the project it makes; `form_update_mode: match_exactly` keeps the
    device's blank forms equal to the server's list, as ODK Central sets it for app users.
    """
    settings = {"general": {"server_url": url, "form_update_mode": "match_exactly",
                            "autosend": "wifi_and_cellular"},
                "admin": {}, "project": {"name": project_name}}
    packed = zlib.compress(json.dumps(settings, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    return base64.b64encode(packed).decode("ascii")


def settings_qr_svg(url: str, project_name: str) -> str:
    """The QR code ODK Collect scans to set itself up (Project → Configure with QR code), as inline SVG."""
    code = segno.make(collect_settings(url, project_name), error="m", micro=False)
    return code.svg_inline(scale=4, title=project_name, omitsize=True)  # a viewBox: the page sets its size
