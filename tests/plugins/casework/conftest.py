"""Flask-Babel keeps one translation cache for every app built in a test run; an
app built without this plugin's catalogue (another test's PLUGINS) would leave
Dutch casework texts untranslated. Start each test with an empty cache."""
import pytest

from eih.extensions import babel


@pytest.fixture(autouse=True)
def fresh_translations(app):
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield
