"""The account page (password, language, notifications by e-mail) inside the admin layout."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from .. import audit, notify
from ..admin import SecureView
from ..extensions import db
from ..models import ROLES

MIN_PASSWORD = 10


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD, max=200, message=_l("Choose at least %(n)s characters.", n=MIN_PASSWORD))])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("nl", "Nederlands"), ("en", "English")])


class NotifyForm(FlaskForm):
    """The switches themselves are checkboxes named ``notify-<kind>``, one per kind of the user's role."""

    sent = HiddenField(default="1")


class AccountView(SecureView):
    roles = ROLES

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = PasswordForm(prefix="pw")
        language = LanguageForm(prefix="lang", locale=current_user.locale)
        notify_form = NotifyForm(prefix="notify")
        if request.method == "POST" and "notify-sent" in request.form:
            if notify_form.validate_on_submit():
                user = current_user._get_current_object()
                for kind in notify.kinds_for(user):
                    notify.set_wanted(user, kind, f"notify-{kind}" in request.form)
                audit.record("update", user, detail="fields: notifications")
                db.session.commit()
                flash(_("Notification settings saved."), "success")
                return redirect(url_for(".index"))
        elif request.method == "POST" and "lang-locale" in request.form:
            if language.validate_on_submit():
                current_user.locale = language.locale.data
                audit.record("update", current_user._get_current_object(), detail="fields: locale")
                db.session.commit()
                flash(_("Language saved."), "success")
                return redirect(url_for(".index"))
        elif form.validate_on_submit():
            if not current_user.check_password(form.current.data):
                form.current.errors.append(_("The current password is not correct."))
            else:
                current_user.set_password(form.new.data)
                audit.record("update", current_user._get_current_object(), detail="fields: password")
                db.session.commit()
                flash(_("Your password has been changed."), "success")
                return redirect(url_for(".index"))
        status = 400 if request.method == "POST" else 200
        user = current_user._get_current_object()
        switches = [(kind, notify.label(kind), notify.wants(user, kind)) for kind in notify.kinds_for(user)]
        return self.render("eih/account.html", form=form, language=language, notify_form=notify_form,
                           switches=switches), status
