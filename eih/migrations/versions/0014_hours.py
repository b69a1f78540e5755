"""hours worked, blocked hours and light weeks

Revision ID: 0014_hours
Revises: 0013_casework_second_round
Create Date: 2026-12-01 15:40:18.167716

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_hours'
down_revision = '0013_casework_second_round'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hours_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('description', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hours_block_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], name=op.f('fk_hours_block_expert_id_expert')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_hours_block_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_block'))
    )
    with op.batch_alter_table('hours_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_block_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_block_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_block_week_start'), ['week_start'], unique=False)

    op.create_table('hours_light_week',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_hours_light_week_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], name=op.f('fk_hours_light_week_expert_id_expert')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_hours_light_week_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_light_week')),
    sa.UniqueConstraint('expert_id', 'week_start', name=op.f('uq_hours_light_week_expert_id'))
    )
    with op.batch_alter_table('hours_light_week', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_light_week_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_light_week_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_light_week_week_start'), ['week_start'], unique=False)

    op.create_table('hours_timesheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_hours_timesheet_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], name=op.f('fk_hours_timesheet_expert_id_expert')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_hours_timesheet_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_timesheet')),
    sa.UniqueConstraint('expert_id', 'week_start', name=op.f('uq_hours_timesheet_expert_id'))
    )
    with op.batch_alter_table('hours_timesheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_timesheet_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_timesheet_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_timesheet_week_start'), ['week_start'], unique=False)

    op.create_table('hours_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('timesheet_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('activity', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('load', sa.Float(), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=True),
    sa.Column('heavy_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_hours_entry_municipality_id_municipality'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_hours_entry_partner_id_partner'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['timesheet_id'], ['hours_timesheet.id'], name=op.f('fk_hours_entry_timesheet_id_hours_timesheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_entry'))
    )
    with op.batch_alter_table('hours_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_entry_timesheet_id'), ['timesheet_id'], unique=False)

    with op.batch_alter_table('supportgroups_group', schema=None) as batch_op:
        # existing groups get the model's default preparation time
        batch_op.add_column(sa.Column('prep_minutes', sa.Integer(), nullable=False, server_default=sa.text('30')))



def downgrade():
    with op.batch_alter_table('supportgroups_group', schema=None) as batch_op:
        batch_op.drop_column('prep_minutes')

    with op.batch_alter_table('hours_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_entry_timesheet_id'))

    op.drop_table('hours_entry')
    with op.batch_alter_table('hours_timesheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_timesheet_week_start'))
        batch_op.drop_index(batch_op.f('ix_hours_timesheet_region_id'))
        batch_op.drop_index(batch_op.f('ix_hours_timesheet_expert_id'))

    op.drop_table('hours_timesheet')
    with op.batch_alter_table('hours_light_week', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_light_week_week_start'))
        batch_op.drop_index(batch_op.f('ix_hours_light_week_region_id'))
        batch_op.drop_index(batch_op.f('ix_hours_light_week_expert_id'))

    op.drop_table('hours_light_week')
    with op.batch_alter_table('hours_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_block_week_start'))
        batch_op.drop_index(batch_op.f('ix_hours_block_region_id'))
        batch_op.drop_index(batch_op.f('ix_hours_block_expert_id'))

    op.drop_table('hours_block')
