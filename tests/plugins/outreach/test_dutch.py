"""Every text of the outreach plugin has its Dutch translation in the plugin's own catalog, compiled."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PLUGINS = Path(__file__).resolve().parents[3] / "eih" / "plugins"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}


def _key(message):
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def _text(message):
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string


def check_catalog(name: str) -> None:
    folder = PLUGINS / name
    found = {m[0] if isinstance(m, tuple) else m for _f, _l, m, _c, _x in extract_from_dir(
        folder, [("**/templates/**.html", "jinja2"), ("**.py", "python")], keywords=KEYWORDS)}
    po = read_po(open(folder / "translations" / "nl" / "LC_MESSAGES" / "messages.po", "rb"))
    translated = {_key(m) for m in po if m.id and not m.fuzzy
                  and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(found - translated)
    assert not missing, f"translate in {name}'s catalog (make extract): {missing}"
    mo = {_key(m): _text(m) for m in read_mo(open(folder / "translations" / "nl" / "LC_MESSAGES" / "messages.mo",
                                                   "rb")) if m.id}
    stale = [_key(m) for m in po if m.id and not m.fuzzy and mo.get(_key(m)) != _text(m)]
    assert not stale, f"run `make compile` ({stale[:3]})"


@pytest.mark.parametrize("name", ["outreach"])
def test_every_string_has_a_dutch_translation(name):
    check_catalog(name)
