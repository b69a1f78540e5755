# Copy to instance/config.py and adapt. Every key can also be set as an
# environment variable with the EIH_ prefix (EIH_DATABASE_URL=...).

# DATABASE_URL = "postgresql+psycopg://eih:secret@localhost/eih"
# SESSION_COOKIE_SECURE = True          # when served over HTTPS
# PLUGINS = ["casework", "supportgroups", "intervision"]
# SECRET_KEY is written to instance/secret_key on first start.
