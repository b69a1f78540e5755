"""The access log: one row per view, change, export or login; never content."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent


def client_ip() -> str:
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def record(action: str, obj=None, *, object_type: str | None = None, object_id=None,
           region_id: int | None = None, detail: str = "", user=None, commit: bool = False) -> AuditEvent:
    """Add an audit event to the session (the caller's commit makes it durable)."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", "")
        if region_id is None:
            region_id = getattr(obj, "region_id", None)
    if region_id is None and user is not None:
        region_id = getattr(user, "region_id", None)
    event = AuditEvent(
        user_id=getattr(user, "id", None), action=action, object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""), region_id=region_id,
        ip=client_ip(), detail=detail[:500],
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
