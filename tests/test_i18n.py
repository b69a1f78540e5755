"""Dutch by default, English per user; the core catalog is complete and compiled."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from eih.extensions import db
from eih.models import User

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "eih" / "translations" / "nl" / "LC_MESSAGES"
NOT_CORE = {"plugins", "planning", "hours", "scheduler", "migrations"}


def _set_locale(app, email, locale):
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().locale = locale
        db.session.commit()


def test_the_login_page_is_dutch_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Inloggen" in html and "Wachtwoord" in html and "E-mailadres" in html
    assert '<html lang="nl"' in html


def test_the_home_page_is_dutch_by_default(auth, client):
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Welkom, Fatima" in html and "Uitloggen" in html and "Ervaringsdeskundigen" in html


def test_a_user_with_english_gets_english_pages(app, auth, client):
    _set_locale(app, "lead@eih.example", "en")
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Welcome, Fatima" in html and "Log out" in html and "Experts" in html
    assert "Uitloggen" not in html


def test_flask_admins_own_strings_are_dutch(auth, client):
    auth.login("lead")
    listing = client.get("/admin/partner/").get_data(as_text=True)
    assert "Lijst" in listing and "Maken" in listing
    assert "Opslaan" in client.get("/admin/partner/new/").get_data(as_text=True)


def test_flask_admins_own_strings_are_english_for_english_users(app, auth, client):
    _set_locale(app, "lead@eih.example", "en")
    auth.login("lead")
    listing = client.get("/admin/partner/").get_data(as_text=True)
    assert "List" in listing and "Lijst" not in listing
    assert "Save" in client.get("/admin/partner/new/").get_data(as_text=True)


def test_form_errors_are_dutch(auth, client):
    html = client.post("/login", data={"email": "geen adres", "password": "x"}).get_data(as_text=True)
    assert "Ongeldig e-mailadres" in html


def _core_messages():
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "eih", method_map, keywords=keywords,
            directory_filter=lambda path: not (set(Path(path).relative_to(ROOT / "eih").parts) & NOT_CORE)):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_core_string_has_a_dutch_translation():
    catalog = read_po(open(CATALOG / "messages.po", "rb"))
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(_core_messages() - translated)
    assert not missing, f"run `make translations` and translate: {missing}"


def test_the_compiled_catalog_matches_the_source_catalog():
    po = read_po(open(CATALOG / "messages.po", "rb"))
    mo = read_mo(open(CATALOG / "messages.mo", "rb"))
    def key(message):
        return message.id[0] if isinstance(message.id, (list, tuple)) else message.id

    def text(message):
        return tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string

    compiled = {key(m): text(m) for m in mo if m.id}
    for message in po:
        if message.id and not message.fuzzy:
            assert compiled.get(key(message)) == text(message), f"run `make compile` ({key(message)!r})"


def test_each_app_loads_its_own_plugins_catalogs(tmp_path):
    """Catalogs are cached per app: an app made earlier without a plugin does not hide its Dutch."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from flask_babel import gettext

    from eih.plugins import Plugin
    from tests.conftest import make_app

    folder = tmp_path / "probe_translations"
    (folder / "nl" / "LC_MESSAGES").mkdir(parents=True)
    catalog = Catalog(locale="nl")
    catalog.add("Probe sessions", "Sondesessies")
    with open(folder / "nl" / "LC_MESSAGES" / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)

    class Probe(Plugin):
        name = "probe"
        translations_dir = str(folder)

    plain = make_app(tmp_path / "a", tmp_path / "a.sqlite", PLUGINS=[])
    with plain.test_request_context():
        assert gettext("Probe sessions") == "Probe sessions"
    with_probe = make_app(tmp_path / "b", tmp_path / "b.sqlite", PLUGINS=["probe"], EXTRA_PLUGINS=[Probe()])
    with with_probe.test_request_context():
        assert gettext("Probe sessions") == "Sondesessies"
