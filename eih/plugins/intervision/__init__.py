"""The intervision plugin: the six-weekly guided intervision, team meetings,
supervision on request, and the rhythm dashboard that shows who is overdue."""
from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import Plugin


class IntervisionPlugin(Plugin):
    name = "intervision"
    label = _l("Intervision")
    default_settings = {"interval_weeks": 6, "overdue_days": 42, "long_leave_days": 14, "meeting_interval_weeks": 2}

    def init_app(self, app) -> None:
        from . import models  # noqa: F401  (tables known to metadata)
        app.register_blueprint(Blueprint("intervision_pages", __name__, template_folder="templates"))

    def admin_views(self) -> list:
        from .views import admin_views
        return admin_views()

    def demands(self, region, period) -> list:
        from .demands import demands
        return demands(region, period)

    def expert_history(self, region, period) -> dict:
        from .demands import expert_history
        return expert_history(region, period)

    def apply(self, region, plan, instance=None) -> None:
        from .demands import apply
        apply(region, plan, instance)

    def report(self, region, period) -> dict:
        from .reports import report
        return report(region, period)

    def demo(self, region, today: date) -> None:
        from .demo import load
        load(region, today)

    def home_panels(self, user) -> list:
        from .home import panels
        return panels(user)

    @property
    def cli(self):
        from .cli import cli
        return cli


plugin = IntervisionPlugin()
