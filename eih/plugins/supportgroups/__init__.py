"""The support groups plugin (lotgenotencontact): groups, sessions, participants, attendance, statistics."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import Plugin


class SupportgroupsPlugin(Plugin):
    name = "supportgroups"
    label = _l("Support groups")
    default_settings = {"absence_alert": 3, "late_days": 7}
    translations_dir = str(Path(__file__).resolve().parent / "translations")

    def __init__(self):
        from .cli import supportgroups_cli
        self.cli = supportgroups_cli

    def init_app(self, app) -> None:
        from . import models  # noqa: F401  (tables known to metadata)
        app.register_blueprint(Blueprint("supportgroups_pages", __name__, template_folder="templates"))

    def admin_views(self) -> list:
        from .views import admin_views
        return admin_views()

    def demands(self, region, period) -> list:
        from .demands import demands
        return demands(region, period)

    def apply(self, region, plan, instance=None) -> None:
        from .demands import apply
        apply(region, plan, instance)

    def on_decline(self, expert, local_id: str, reason: str) -> None:
        from .demands import on_decline
        on_decline(expert, local_id, reason)

    def report(self, region, period) -> dict:
        from .reports import report
        return report(region, period)

    def home_panels(self, user) -> list:
        from .home import home_panels
        return home_panels(user, self.settings_for(user.region_id))

    def demo(self, region, today) -> None:
        from .demo import load
        load(region, today)


plugin = SupportgroupsPlugin()
