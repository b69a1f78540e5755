"""Flask-Babel keeps one translations cache for every app of the process; an app
built earlier with fewer plugins would leave this plugin untranslated."""
import pytest


@pytest.fixture(autouse=True)
def fresh_translations():
    from eih.extensions import babel
    babel.domain_instance.cache.clear()
    yield
