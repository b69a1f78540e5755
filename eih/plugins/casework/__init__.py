"""Casework (casuïstiek): requests, intake, deployment, contact forms, closing.

The plugin object wires the parts together; the rules live in ``rules.py``.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import Plugin


class CaseworkPlugin(Plugin):
    name = "casework"
    label = _l("Casework")
    # Its home panel lists its own declines (with the case code); the planning
    # round's panel leaves them out.
    shows_declines = True
    default_settings = {
        "direct_contact": False,  # direct contact without a professional: a wish for 2024-2027, off by default
        "hours_by_kind": {"regular": 2, "thv": 4, "direct": 2},
        "load_by_kind": {"regular": 2, "thv": 4, "direct": 3},
        "heavy_rating": 3,
    }
    translations_dir = str(Path(__file__).resolve().parent / "translations")

    @property
    def cli(self):
        from .cli import casework_cli
        return casework_cli

    def init_app(self, app) -> None:
        from . import models  # noqa: F401  (tables known to metadata)
        app.register_blueprint(Blueprint("casework_pages", __name__, template_folder="templates"))

    def admin_views(self) -> list:
        from .views import casework_views
        return casework_views()

    def demands(self, region, period) -> list:
        from .demands import demands
        return demands(region, period)

    def apply(self, region, plan, instance=None) -> list[str]:
        """Published assignments -> deployments; returns what a rule refused (for the lead)."""
        from .demands import apply
        return apply(region, plan, instance)

    def expert_history(self, region, period) -> dict:
        from .demands import expert_history
        return expert_history(region, period)

    def report(self, region, period) -> dict:
        from .reports import report
        return report(region, period)

    def on_decline(self, expert, local_id: str, reason: str) -> None:
        from ...extensions import db
        from .models import Request
        from .rules import end_after_decline
        if not local_id.startswith("req-") or not local_id[4:].isdigit():
            return
        req = db.session.get(Request, int(local_id[4:]))
        if req is not None and req.region_id == expert.region_id:
            end_after_decline(req, expert, reason)

    def demo(self, region, today) -> None:
        from .demo import load_demo
        load_demo(region, today)

    def home_panels(self, user) -> list:
        from .home import home_panels
        return home_panels(user)


plugin = CaseworkPlugin()
