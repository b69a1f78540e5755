from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, FloatField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..labels import ABSENCE_LABELS, DECLINE_LABELS, choices
from ..rules import RuleError, check_absence


class SettingsForm(FlaskForm):
    heavy_load = FloatField(_l("Heavy work from load"), validators=[InputRequired(), NumberRange(0, 10)],
                            description=_l("Work with at least this load (0-5 scale) counts as heavy."))
    recovery_hours = FloatField(_l("Recovery time between heavy work (hours)"), validators=[InputRequired(), NumberRange(0, 168)])
    max_heavy_per_day = IntegerField(_l("Heavy work per day at most"), validators=[InputRequired(), NumberRange(1, 5)])
    max_load_per_week = FloatField(_l("Load per week at most (empty: no cap)"), validators=[Optional(), NumberRange(0, 200)])
    buffer_minutes = IntegerField(_l("Travel buffer between appointments (minutes)"), validators=[InputRequired(), NumberRange(0, 240)])
    intervision_days = IntegerField(_l("Intervision at least every (days)"), validators=[InputRequired(), NumberRange(7, 365)])
    time_limit_s = FloatField(_l("Time limit of a solve (seconds)"), validators=[InputRequired(), NumberRange(1, 600)])


class DeclineForm(FlaskForm):
    demand = StringField(validators=[DataRequired(), Length(max=120)])
    reason = SelectField(_l("Reason"), choices=choices(DECLINE_LABELS), validators=[DataRequired()])
    note = TextAreaField(_l("Note (only you and the project lead see it)"), validators=[Optional(), Length(max=2000)])


class AvailabilityForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=choices(ABSENCE_LABELS), validators=[DataRequired()])
    start = DateTimeLocalField(_l("From"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=_l("Enter a start date and time."))])
    end = DateTimeLocalField(_l("Until"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=_l("Enter an end date and time."))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def validate_end(self, field):
        if self.start.data and field.data:
            try:
                check_absence(self.start.data, field.data)
            except RuleError as exc:
                raise ValidationError(str(exc)) from None


class PublishForm(FlaskForm):
    confirm = BooleanField(_l("I have read the rule violations and publish anyway"))
