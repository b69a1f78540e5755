"""The home page per role: a short overview and the panels modules add."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user

from .plugins import enabled_plugins


def register_home_panel(app, func) -> None:
    """``func(user) -> list[dict(title=..., items=[(text, url)], empty=...)]``"""
    app.extensions.setdefault("eih_home_panels", []).append(func)


def home_context() -> dict:
    user = current_user._get_current_object()
    panels = []
    for func in current_app.extensions.get("eih_home_panels", []):
        panels.extend(func(user) or [])
    if user.region_id is not None:
        for plugin in enabled_plugins(user.region_id):
            hook = getattr(plugin, "home_panels", None)
            if hook:
                panels.extend(hook(user) or [])
    return {"user": user, "panels": panels}
