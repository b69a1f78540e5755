"""Forms of the hours pages. Hours are typed as people write them: 1,5 or 1.5."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..labels import choices
from .labels import OWN_ACTIVITY_LABELS


class HoursField(StringField):
    """A number of hours: a comma or a point for the decimals ("1,5", "0.75")."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        if not text:
            return
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(_l("Enter the hours as a number, such as 1,5.")) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(_l("Enter the hours as a number, such as 1,5."))
        self.data = value

    def _value(self):
        return "" if self.data is None else f"{self.data:g}".replace(".", ",")


class RowForm(FlaskForm):
    """Other work on a timesheet: the expert's own row (or the lead's)."""

    day = SelectField(_l("Day"), validators=[DataRequired(message=_l("Choose a day of this week."))])
    hours = HoursField(_l("Hours"), validators=[InputRequired(message=_l("Enter the hours as a number, such as 1,5."))])
    activity = SelectField(_l("Kind of work"), choices=choices(OWN_ACTIVITY_LABELS), validators=[DataRequired()])
    label = StringField(_l("Description (no client data)"), validators=[Optional(), Length(max=200)])
    municipality = SelectField(_l("Municipality"), validators=[Optional()])
    partner = SelectField(_l("Partner organisation"), validators=[Optional()])


class DecideForm(FlaskForm):
    """The lead's decision on a submitted week."""

    action = SelectField(choices=[("approve", _l("Approve")), ("return", _l("Return"))], validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the expert (when returning)"), validators=[Optional(), Length(max=2000)])


class BlockForm(FlaskForm):
    """Hours kept for other work in a coming week."""

    expert = SelectField(_l("Expert"), validators=[DataRequired()])
    week = SelectField(_l("Week"), validators=[DataRequired()])
    hours = HoursField(_l("Hours"), validators=[InputRequired(message=_l("Enter the hours as a number, such as 1,5."))])
    description = StringField(_l("What (for example: training, presentation at a partner)"),
                              validators=[DataRequired(message=_l("Describe the other work in a few words.")),
                                          Length(max=120)])


class LightWeekForm(FlaskForm):
    """A week of lighter work."""

    expert = SelectField(_l("Expert"), validators=[DataRequired()])
    week = SelectField(_l("Week"), validators=[DataRequired()])
    note = StringField(_l("Note (optional; the expert, the lead and the coordinator see it)"),
                       validators=[Optional(), Length(max=200)])
