"""casework second round: request form, intake, safety, notifications

Existing rows get empty texts, source "lead" and feedback by e-mail; nothing is
lost on the way down except the new data itself.

Revision ID: 0013_casework_second_round
Revises: 0012_policy
Create Date: 2026-12-01 15:35:00.509554

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_casework_second_round'
down_revision = '0012_policy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    op.create_table('notification_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_setting_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_setting')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_setting_user_id'))
    )
    with op.batch_alter_table('notification_setting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_setting_user_id'), ['user_id'], unique=False)

    op.create_table('safety_incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('subject_label', sa.String(length=120), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('police_involved', sa.Boolean(), nullable=False),
    sa.Column('veilig_thuis_involved', sa.Boolean(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_safety_incident_closed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_safety_incident_region_id_region')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_safety_incident_reported_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_incident'))
    )
    with op.batch_alter_table('safety_incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_incident_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_incident_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_incident_subject'), ['subject'], unique=False)

    op.create_table('safety_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user.id'], name=op.f('fk_safety_action_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['safety_incident.id'], name=op.f('fk_safety_action_incident_id_safety_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_action'))
    )
    with op.batch_alter_table('safety_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_action_incident_id'), ['incident_id'], unique=False)

    op.create_table('casework_after_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], name=op.f('fk_casework_after_contact_expert_id_expert'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_casework_after_contact_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['casework_request.id'], name=op.f('fk_casework_after_contact_request_id_casework_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casework_after_contact'))
    )
    with op.batch_alter_table('casework_after_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_after_contact_request_id'), ['request_id'], unique=False)

    op.create_table('casework_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('sent_to', sa.String(length=254), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['user.id'], name=op.f('fk_casework_feedback_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['casework_contact.id'], name=op.f('fk_casework_feedback_contact_id_casework_contact')),
    sa.ForeignKeyConstraint(['request_id'], ['casework_request.id'], name=op.f('fk_casework_feedback_request_id_casework_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casework_feedback'))
    )
    with op.batch_alter_table('casework_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_feedback_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casework_feedback_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('casework_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('three_way', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('casework_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('professional_function', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('partner_other', sa.String(length=160), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=False, server_default='lead'))
        batch_op.add_column(sa.Column('restraining_order_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('intake_why_expert', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake_role', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake_expectations', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake_client_wishes', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake_safety', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('agreed_role', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('agreed_expectations', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('requested_expert_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('requested_expert_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('feedback_channel', sa.String(length=10), nullable=False, server_default='email'))
        batch_op.add_column(sa.Column('safety_flags', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('new_report', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('new_report_recorded_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_casework_request_requested_expert_id_expert'), 'expert', ['requested_expert_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('casework_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_casework_request_requested_expert_id_expert'), type_='foreignkey')
        batch_op.drop_column('new_report_recorded_on')
        batch_op.drop_column('new_report')
        batch_op.drop_column('safety_flags')
        batch_op.drop_column('feedback_channel')
        batch_op.drop_column('requested_expert_id')
        batch_op.drop_column('requested_expert_name')
        batch_op.drop_column('agreed_expectations')
        batch_op.drop_column('agreed_role')
        batch_op.drop_column('intake_safety')
        batch_op.drop_column('intake_client_wishes')
        batch_op.drop_column('intake_expectations')
        batch_op.drop_column('intake_role')
        batch_op.drop_column('intake_why_expert')
        batch_op.drop_column('restraining_order_until')
        batch_op.drop_column('source')
        batch_op.drop_column('partner_other')
        batch_op.drop_column('professional_function')

    with op.batch_alter_table('casework_contact', schema=None) as batch_op:
        batch_op.drop_column('three_way')

    with op.batch_alter_table('casework_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_feedback_request_id'))
        batch_op.drop_index(batch_op.f('ix_casework_feedback_contact_id'))

    op.drop_table('casework_feedback')
    with op.batch_alter_table('casework_after_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_after_contact_request_id'))

    op.drop_table('casework_after_contact')
    with op.batch_alter_table('safety_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_action_incident_id'))

    op.drop_table('safety_action')
    with op.batch_alter_table('safety_incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_incident_subject'))
        batch_op.drop_index(batch_op.f('ix_safety_incident_status'))
        batch_op.drop_index(batch_op.f('ix_safety_incident_region_id'))

    op.drop_table('safety_incident')
    with op.batch_alter_table('notification_setting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_setting_user_id'))

    op.drop_table('notification_setting')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_kind'))
        batch_op.drop_index(batch_op.f('ix_notification_key'))

    op.drop_table('notification')
