"""The supportgroups plugin (being built)."""
from flask_babel import lazy_gettext as _l

from .. import Plugin


class SupportgroupsPlugin(Plugin):
    name = "supportgroups"
    label = _l("Support groups")


plugin = SupportgroupsPlugin()
