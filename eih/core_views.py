"""Admin views for the core tables, the audit log and the plugin matrix."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from . import audit, clock
from .admin import SecureModelView, SecureView
from .auth.views import AccountView
from .extensions import db
from .labels import ABSENCE_LABELS, GENDER_LABELS, ROLE_LABELS, choices, formatter
from .models import (
    PERSPECTIVES,
    ROLES,
    AuditEvent,
    Expert,
    Municipality,
    Partner,
    Region,
    Unavailability,
    User,
    split_list,
)
from .plugins import PluginError, is_enabled, registry, set_enabled
from .rules import RuleError, check_absence

COMMON_LABELS = {
    "name": _l("Name"), "email": _l("E-mail address"), "role": _l("Role"), "region": _l("Region"),
    "active": _l("Active"), "locale": _l("Language"), "slug": _l("Short name (URL)"),
    "is_central": _l("Central municipality"), "is_funder": _l("Funds the work"), "user": _l("User"),
    "gender": _l("Gender"), "perspectives": _l("Perspectives"), "cultures": _l("Cultural backgrounds"),
    "languages": _l("Languages"), "specialties": _l("Specialties"), "min_hours": _l("Contract minimum (h/week)"),
    "max_hours": _l("Contract maximum (h/week)"), "overtime_hours": _l("Overtime allowed (h/week)"),
    "max_load": _l("Personal weekly load cap"), "expert": _l("Expert"), "start": _l("From"), "end": _l("Until"),
    "reason": _l("Reason"), "note": _l("Note"), "at": _l("When"), "action": _l("Action"),
    "object_type": _l("Object"), "object_id": _l("Id"), "ip": _l("Address"), "detail": _l("Detail"),
    "created_at": _l("Created"), "last_login_at": _l("Last login"), "municipalities": _l("Municipalities"),
}


def local_time(_view, _context, model, name):
    """Record timestamps are stored in UTC; people read them in Europe/Amsterdam."""
    value = getattr(model, name)
    if value is None:
        return ""
    return clock.local(value).strftime("%Y-%m-%d %H:%M:%S")


class CoreModelView(SecureModelView):
    column_labels = COMMON_LABELS
    can_export = False


class UserView(CoreModelView):
    roles = ("admin",)
    column_list = ("name", "email", "role", "region", "active", "last_login_at")
    column_searchable_list = ("name", "email")
    column_filters = ("role", "active", "region.name")
    form_columns = ("name", "email", "role", "region", "active", "locale", "new_password")
    form_extra_fields = {"new_password": PasswordField(_l("New password (leave empty to keep)"))}
    form_overrides = {"role": SelectField, "locale": SelectField}
    form_args = {"role": {"choices": choices(ROLE_LABELS)},
                 "locale": {"choices": [("nl", "Nederlands"), ("en", "English")]}}
    column_formatters = {"role": formatter(ROLE_LABELS),
                         "last_login_at": local_time, "created_at": local_time}
    column_details_exclude_list = ("password_hash",)
    region_column = None  # admins only; users of every region

    def on_model_change(self, form, model, is_created):
        model.email = (model.email or "").strip().lower()
        if "@" not in model.email:
            raise ValidationError(_("Enter a valid e-mail address."))
        if model.role not in ROLES:
            raise ValidationError(_("Unknown role."))
        if model.role != "admin" and model.region is None:
            raise ValidationError(_("Every user except an administrator belongs to a region."))
        if not is_created and model.id == current_user.id and (model.role != "admin" or not model.active):
            raise ValidationError(_("You cannot take away your own administrator role or deactivate yourself."))
        password = form.new_password.data or ""
        if password:
            if len(password) < 10:
                raise ValidationError(_("Choose at least %(n)s characters.", n=10))
            model.set_password(password)
        elif is_created:
            raise ValidationError(_("A new user needs a password."))
        super().on_model_change(form, model, is_created)


    def on_model_delete(self, model):
        if model.id == current_user.id:
            raise ValidationError(_("You cannot delete your own account."))
        super().on_model_delete(model)


class RegionView(CoreModelView):
    roles = ("admin",)
    region_column = None
    column_list = ("name", "slug")
    form_columns = ("name", "slug")
    inline_models = ((Municipality, {"form_columns": ("id", "name", "is_central", "is_funder")}),)

    def on_model_change(self, form, model, is_created):
        model.slug = (model.slug or "").strip().lower()
        if not model.slug or not all(c.isalnum() or c == "-" for c in model.slug):
            raise ValidationError(_("The short name may contain only letters, digits and dashes."))
        super().on_model_change(form, model, is_created)


class MunicipalityView(CoreModelView):
    roles = ("admin", "lead", "coordinator")
    edit_roles = ("admin",)
    column_list = ("name", "region", "is_central", "is_funder")
    column_filters = ("region.name", "is_central", "is_funder")
    column_searchable_list = ("name",)
    form_columns = ("region", "name", "is_central", "is_funder")
    column_default_sort = "name"

    def on_model_change(self, form, model, is_created):
        if model.is_central:
            others = db.session.query(Municipality).filter(
                Municipality.region_id == model.region_id, Municipality.is_central.is_(True),
                Municipality.id != (model.id or 0)).count()
            if others:
                raise ValidationError(_("This region already has a central municipality."))
        super().on_model_change(form, model, is_created)


class PartnerView(CoreModelView):
    roles = ("admin", "lead", "coordinator")
    edit_roles = ("admin", "lead")
    column_list = ("name", "region", "active")
    column_searchable_list = ("name",)
    form_columns = ("region", "name", "active")
    column_default_sort = "name"


def _tag_validator(allowed=None):
    def check(form, field):
        values = split_list(field.data)
        if allowed is not None:
            wrong = [v for v in values if v not in allowed]
            if wrong:
                raise ValidationError(_("Unknown value: %(values)s. Choose from: %(allowed)s.",
                                        values=", ".join(wrong), allowed=", ".join(allowed)))
        field.data = ",".join(values)
    return check


class ExpertView(CoreModelView):
    roles = ("admin", "lead", "coordinator")
    edit_roles = ("admin", "lead")
    column_list = ("user", "gender", "perspectives", "cultures", "languages", "min_hours", "max_hours", "active")
    column_filters = ("gender", "active", "perspectives")
    form_columns = ("user", "region", "gender", "perspectives", "cultures", "languages", "specialties",
                    "min_hours", "max_hours", "overtime_hours", "max_load", "active")
    form_overrides = {"gender": SelectField, "perspectives": StringField, "cultures": StringField,
                      "languages": StringField, "specialties": StringField}
    form_args = {
        "gender": {"choices": choices(GENDER_LABELS)},
        "perspectives": {"validators": [_tag_validator(PERSPECTIVES)],
                         "description": _l("Comma separated: victim, perpetrator")},
        "cultures": {"validators": [_tag_validator()], "description": _l("Comma separated, e.g. moroccan, turkish")},
        "languages": {"validators": [_tag_validator()], "description": _l("Comma separated language codes, e.g. nl, ar")},
        "specialties": {"validators": [_tag_validator()], "description": _l("Comma separated, e.g. honour-related, stalking")},
        "min_hours": {"validators": [NumberRange(0, 40)]},
        "max_hours": {"validators": [NumberRange(0, 40)]},
        "overtime_hours": {"validators": [Optional(), NumberRange(0, 16)]},
        "max_load": {"validators": [Optional(), NumberRange(0, 100)]},
    }
    column_formatters = {"gender": formatter(GENDER_LABELS)}

    def on_model_change(self, form, model, is_created):
        if model.min_hours is not None and model.max_hours is not None and model.min_hours > model.max_hours:
            raise ValidationError(_("The contract minimum cannot be above the maximum."))
        if model.user is not None and model.user.region_id != model.region_id:
            raise ValidationError(_("The expert's region must be the region of their user account."))
        if model.overtime_hours is None:
            model.overtime_hours = 0
        super().on_model_change(form, model, is_created)


class UnavailabilityView(CoreModelView):
    roles = ("admin", "lead", "coordinator")
    region_column = None
    column_list = ("expert", "reason", "start", "end", "note")
    column_filters = ("reason", "start")
    form_columns = ("expert", "reason", "start", "end", "note")
    form_overrides = {"reason": SelectField}
    form_args = {"reason": {"choices": choices(ABSENCE_LABELS)}}
    column_formatters = {"reason": formatter(ABSENCE_LABELS)}
    column_default_sort = ("start", True)

    def scope_query(self, query):
        if self.crosses_regions():
            return query
        return query.join(Expert, Unavailability.expert_id == Expert.id).filter(Expert.region_id == current_user.region_id)

    def region_of(self, obj):
        return obj.expert.region_id if obj.expert else None

    def on_model_change(self, form, model, is_created):
        try:
            check_absence(model.start, model.end)
        except RuleError as exc:
            raise ValidationError(str(exc)) from None
        if not self.crosses_regions() and (model.expert is None or model.expert.region_id != current_user.region_id):
            abort(403)
        super().on_model_change(form, model, is_created)


class AuditView(CoreModelView):
    roles = ("admin",)
    region_column = None
    allow_create = allow_edit = allow_delete = False
    can_view_details = False
    column_list = ("at", "user", "action", "object_type", "object_id", "region", "ip", "detail")
    column_filters = ("action", "object_type", "at", "user.email", "region.name")
    column_default_sort = ("at", True)
    column_formatters = {"at": local_time}
    page_size = 100


class PluginMatrixView(SecureView):
    """Regions x plugins, with a switch per cell."""

    roles = ("admin",)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        plugins = list(registry().values())
        if request.method == "POST":
            region = db.session.get(Region, request.form.get("region_id", type=int) or 0)
            name = request.form.get("plugin", "")
            enabled = request.form.get("enabled") == "1"
            if region is None or name not in registry():
                flash(_("Unknown region or plugin; nothing was changed."), "danger")
                return redirect(url_for(".index")), 302
            try:
                changed = set_enabled(region.id, name, enabled)
            except PluginError as exc:  # pragma: no cover - guarded above
                flash(str(exc), "danger")
                return redirect(url_for(".index"))
            for plugin_name in changed:
                audit.record("update", object_type="PluginState", object_id=f"{region.slug}:{plugin_name}",
                             region_id=region.id, detail="enabled" if enabled else "disabled")
            db.session.commit()
            if changed:
                labels = ", ".join(str(registry()[n].label or n) for n in changed)
                message = (_("Switched on for %(region)s: %(plugins)s.", region=region.name, plugins=labels) if enabled
                           else _("Switched off for %(region)s: %(plugins)s.", region=region.name, plugins=labels))
                flash(message, "success")
            return redirect(url_for(".index"))
        regions = db.session.query(Region).order_by(Region.name).all()
        matrix = {(r.id, p.name): is_enabled(r.id, p.name) for r in regions for p in plugins}
        return self.render("eih/plugins.html", regions=regions, plugins=plugins, matrix=matrix)


def core_views():
    cat_org = _l("Organisation")
    return [
        UserView(User, name=_l("Users"), category=cat_org, endpoint="user"),
        RegionView(Region, name=_l("Regions"), category=cat_org, endpoint="region"),
        MunicipalityView(Municipality, name=_l("Municipalities"), category=cat_org, endpoint="municipality"),
        PartnerView(Partner, name=_l("Partner organisations"), category=cat_org, endpoint="partner"),
        ExpertView(Expert, name=_l("Experts"), category=_l("Team"), endpoint="expert"),
        UnavailabilityView(Unavailability, name=_l("Leave and absence"), category=_l("Team"), endpoint="unavailability"),
        PluginMatrixView(name=_l("Plugins per region"), category=cat_org, endpoint="plugins", url="plugins"),
        AuditView(AuditEvent, name=_l("Access log"), category=cat_org, endpoint="auditevent"),
        AccountView(name=_l("My account"), endpoint="account", url="account"),
    ]
