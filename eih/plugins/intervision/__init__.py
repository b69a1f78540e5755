"""The intervision plugin (being built)."""
from flask_babel import lazy_gettext as _l

from .. import Plugin


class IntervisionPlugin(Plugin):
    name = "intervision"
    label = _l("Intervision")


plugin = IntervisionPlugin()
