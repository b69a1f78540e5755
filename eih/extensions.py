"""Extension objects, created unbound and attached in create_app()."""
from flask import current_app
from flask_babel import Babel, Domain
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from werkzeug.utils import cached_property

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AppDomain(Domain):
    """Flask-Babel keeps loaded catalogs on one Domain shared by every app made from
    the module-level Babel, keyed by locale only: an app with other plugins (tests
    build many) would get the first app's catalogs. Keep the cache per app."""

    def get_translations_cache(self, ctx):
        return current_app.extensions.setdefault("eih_translations_cache", {})


class AppBabel(Babel):
    @cached_property
    def domain_instance(self):
        return AppDomain(domain=self.domain)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = AppBabel()
migrate = Migrate()
mail = Mail()
# Rate limits for public forms (per client address); storage from RATELIMIT_STORAGE_URI.
limiter = Limiter(get_remote_address, default_limits=[])
