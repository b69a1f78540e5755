"""Casework (casuïstiek): requests, intake, deployment, contact forms, closing.

The plugin object only: each hook hands over to the module of its role (see
the plugin shape in the README); the rules live in ``rules.py``.
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import Plugin
from . import demands, demo, home, reports, views
from .cli import commands
from .models import DEFAULT_SETTINGS, PLUGIN


class CaseworkPlugin(Plugin):
    name = PLUGIN
    label = _l("Casework")
    # Its home panel lists its own declines (with the case code); the planning
    # round's panel leaves them out.
    shows_declines = True
    default_settings = DEFAULT_SETTINGS
    cli = commands

    def init_app(self, app) -> None:
        app.register_blueprint(Blueprint("casework_pages", __name__, template_folder="templates"))
        app.register_blueprint(views.public_bp)  # the public request form for professionals

    def admin_views(self) -> list:
        return views.admin_views()

    def demands(self, region, period) -> list:
        return demands.demands(region, period)


    def apply(self, region, plan, instance=None, user=None) -> list:
        return demands.apply(region, plan, instance, user)

    def on_decline(self, expert, demand, reason) -> None:
        demands.on_decline(expert, demand, reason)

    def worked(self, region, expert, period) -> list:
        return reports.worked(region, expert, period)

    def report(self, region, period) -> dict:
        return reports.report(region, period)

    def home_panels(self, user) -> list:
        return home.home_panels(user)

    def demo(self, region, today) -> None:
        demo.load(region, today)


plugin = CaseworkPlugin()
