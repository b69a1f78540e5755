"""Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from eih.extensions import db
from tests.conftest import make_app


def test_upgrading_an_empty_database_gives_the_models_schema(tmp_path):
    app = make_app(tmp_path, tmp_path / "empty.sqlite")
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert not differences, "migrations differ from the models; generate a migration:\n" + "\n".join(
        str(d) for d in differences)


def test_the_migrations_have_one_head(tmp_path):
    from alembic.script import ScriptDirectory
    app = make_app(tmp_path, tmp_path / "unused.sqlite")
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1
