"""The casework plugin (being built)."""
from flask_babel import lazy_gettext as _l

from .. import Plugin


class CaseworkPlugin(Plugin):
    name = "casework"
    label = _l("Casework")


plugin = CaseworkPlugin()
