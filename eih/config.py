"""Configuration defaults.

Order of precedence (later wins): these defaults, ``instance/config.py``,
``EIH_*`` environment variables, the ``config`` argument of create_app().
"""
from datetime import timedelta


class Defaults:
    # SQLALCHEMY_DATABASE_URI is derived from DATABASE_URL or the instance folder.
    DATABASE_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # None: every installed plugin; otherwise a list of plugin names.
    PLUGINS = None

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (instance/config.py)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Login throttling: failures counted in a sliding window.
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20

    # Rate limits of public forms: memory per process by default; a shared store
    # (e.g. redis://localhost:6379/1) when several workers serve the app.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Sent requests per client address on the public request form (Flask-Limiter notation).
    REQUEST_FORM_RATE_LIMIT = "10 per hour"

    # Links in mails point here (the address people open the app at).
    BASE_URL = "http://127.0.0.1:5000"
    # Mail (Flask-Mailman). Without MAIL_SERVER, mail is written to files in
    # MAIL_FILE_PATH (default <instance>/mail) instead of being sent.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "Ervaring in Huis <noreply@localhost>"

    FLASK_ADMIN_SWATCH = "default"
    FLASK_ADMIN_FLUID_LAYOUT = True
