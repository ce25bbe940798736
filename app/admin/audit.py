"""The audit log page: who did what, newest first, 50 to a page, filtered by action."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request

from app.core.extensions import db
from app.core.paging import paginate
from app.models import AuditEvent, User


def audit_log():
    """Who (email), action, target, details, address and time of each event."""
    actions = list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    action = request.args.get("action", "")
    query = (sa.select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.user_id)
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if action:
        query = query.where(AuditEvent.action == action)
    page = paginate(query, request.args.get("page", 1, type=int))
    return render_template("admin/audit.html", page=page, actions=actions, action=action)
