"""The audit log: record who did what. Only adds to the session; the request commits."""
from __future__ import annotations

import logging

from flask import has_request_context, request

from app.core.extensions import db
from app.models import AuditEvent

log = logging.getLogger("common_ground.audit")


#: The length of audit_events.target; a longer target (a typed-in email) is cut, not refused.
TARGET_LENGTH = 200


def record(action: str, target: str = "", user=None, **details) -> None:
    target = target[:TARGET_LENGTH]
    if user is None and has_request_context():
        from app.core.access import acting_user
        user = acting_user()
    address = (request.remote_addr or "") if has_request_context() else ""
    db.session.add(AuditEvent(action=action, target=target, user_id=getattr(user, "id", None),
                              details=details, address=address))
    log.info("%s %s by %s %s", action, target, getattr(user, "email", "-"), details or "")
