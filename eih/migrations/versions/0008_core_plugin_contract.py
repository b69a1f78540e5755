"""plugin contract: the problems met when a published plan was applied

Revision ID: 0008_core_plugin_contract
Revises: 0006_intervision
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_core_plugin_contract'
down_revision = '0006_intervision'
branch_labels = None
depends_on = None


def upgrade():
    # Versions published before this revision had their problems dropped: an empty list.
    with op.batch_alter_table('planning_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problems', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('planning_version', schema=None) as batch_op:
        batch_op.drop_column('problems')
