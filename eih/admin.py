"""Secure Flask-Admin base classes: every view, core or plugin, subclasses these.

They check on every request: logged in, role allowed, plugin enabled for the
user's region; they scope every query to the user's region (list, count, single
record, relationship choices) and write every change to the audit log.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model.form import converts
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l_admin
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from wtforms import FloatField

from . import audit
from .extensions import db
from .models import Region
from .plugins import is_enabled


def role_of(user=None) -> str:
    user = user or current_user
    return user.role if user and user.is_authenticated else "anonymous"


class SecureMixin:
    """Role, enablement and login checks shared by every view."""

    roles: tuple[str, ...] = ("admin",)
    plugin: str | None = None

    def plugin_on(self) -> bool:
        return self.plugin is None or is_enabled(getattr(current_user, "region_id", None), self.plugin)

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.is_active
                    and current_user.role in self.roles and self.plugin_on())

    def is_visible(self) -> bool:
        return self.is_accessible()

    def _handle_view(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not self.plugin_on():
            abort(404)
        if current_user.role not in self.roles:
            abort(403)
        return None


class SecureView(SecureMixin, BaseView):
    """A plain page (dashboard, register, matrix) behind the core's checks."""


class ModelConverter(AdminModelConverter):
    """Flask-Admin's converter, plus Float: since SQLAlchemy 2.1 Float no longer
    derives from Numeric, and Flask-Admin 2.2 silently leaves such columns out of forms."""

    @converts("Float", "Double", "REAL", "DOUBLE", "DOUBLE_PRECISION")
    def handle_float(self, field_args, **extra):
        return FloatField(**field_args)


class SecureModelView(SecureMixin, ModelView):
    """A model view scoped to the user's region.

    ``region_column`` names the region attribute of the model; models reached
    through another table override ``scope_query``. ``edit_roles`` may create,
    edit and delete; the other ``roles`` read only. Admins see every region.
    """

    edit_roles: tuple[str, ...] | None = None
    model_form_converter = ModelConverter
    allow_create = True
    allow_edit = True
    allow_delete = True
    region_column: str | None = "region_id"
    audit_views = False
    page_size = 50
    can_view_details = True
    create_modal = False
    edit_modal = False

    def __init__(self, model, session=None, **kwargs):
        super().__init__(model, session or db, **kwargs)

    # -- who may change ------------------------------------------------
    def may_edit(self) -> bool:
        roles = self.edit_roles if self.edit_roles is not None else self.roles
        return current_user.is_authenticated and current_user.role in roles

    @property
    def can_create(self):
        return self.allow_create and self.may_edit()

    @property
    def can_edit(self):
        return self.allow_edit and self.may_edit()

    @property
    def can_delete(self):
        return self.allow_delete and self.may_edit()

    def typed_ids(self, ids):
        """Row ids arrive as text; PostgreSQL (unlike SQLite) will not compare them
        with an integer key, so convert them, refusing anything that is no id."""
        pk = sa_inspect(self.model).primary_key[0]
        try:
            return tuple(pk.type.python_type(i) for i in ids)
        except (TypeError, ValueError):
            abort(400)

    @action("delete", _l_admin("Delete"), _l_admin("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        return super().action_delete(self.typed_ids(ids))

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        # Flask-Admin's inline edit does not check can_edit by itself.
        if not self.can_edit:
            abort(403)
        return super().ajax_update()

    # -- region scope --------------------------------------------------
    def crosses_regions(self) -> bool:
        return current_user.is_authenticated and current_user.role == "admin"

    def scope_query(self, query):
        if self.crosses_regions():
            return query
        if self.region_column is None:
            return query
        return query.filter(getattr(self.model, self.region_column) == current_user.region_id)

    def get_query(self):
        return self.scope_query(super().get_query())

    def get_count_query(self):
        return self.scope_query(super().get_count_query())

    def get_one(self, id):
        pk = sa_inspect(self.model).primary_key[0]
        try:
            key = pk.type.python_type(id)
        except (TypeError, ValueError):
            abort(404)
        obj = self.get_query().filter(pk == key).one_or_none()
        if obj is None:
            abort(404)
        if self.audit_views and request.endpoint and request.endpoint.endswith(("edit_view", "details_view")):
            audit.record("view", obj, region_id=self.region_of(obj))
            db.session.commit()
        return obj

    def region_of(self, obj) -> int | None:
        if self.region_column:
            return getattr(obj, self.region_column, None)
        return None

    # -- relationship choices scoped too -----------------------------------
    def scope_choices(self, form):
        if self.crosses_regions():
            return form
        for field in form:
            factory = getattr(field, "query_factory", None)
            if factory is None:
                continue
            target = _target_model(self.model, field.name)
            if target is Region:
                field.query_factory = lambda: db.session.query(Region).filter(Region.id == current_user.region_id)
            elif target is not None and hasattr(target, "region_id"):
                field.query_factory = (lambda t=target: db.session.query(t).filter(t.region_id == current_user.region_id))
        return form

    def create_form(self, obj=None):
        return self.scope_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self.scope_choices(super().edit_form(obj))

    def list_form(self, obj=None):
        # the inline (x-editable) form of the list page offers choices too
        return self.scope_choices(super().list_form(obj))

    def _process_ajax_references(self):
        # form_ajax_refs loaders query the session directly: scope them as well
        refs = super()._process_ajax_references()
        for loader in refs.values():
            _scope_loader(self, loader)
        return refs

    # -- writes ------------------------------------------------------
    def on_model_change(self, form, model, is_created):
        if not self.crosses_regions() and self.region_column:
            current = getattr(model, self.region_column, None)
            if is_created and current is None:
                setattr(model, self.region_column, current_user.region_id)
            elif current != current_user.region_id:
                abort(403)
        super().on_model_change(form, model, is_created)

    def after_model_change(self, form, model, is_created):
        detail = "" if is_created else "fields: " + ", ".join(changed_fields(form))
        audit.record("create" if is_created else "update", model, region_id=self.region_of(model), detail=detail)
        db.session.commit()

    def handle_view_exception(self, exc):
        # Flask-Admin would show the database error text; say what happened instead.
        if isinstance(exc, IntegrityError):
            db.session.rollback()
            flash(_("This record conflicts with another one (a duplicate name?) or is still in use elsewhere; "
                    "nothing was changed."), "error")
            return True
        return super().handle_view_exception(exc)

    def on_model_delete(self, model):
        # kept on the request (g), not on the view object that all requests share
        g.eih_deleted = (type(model).__name__, model.id, self.region_of(model))

    def after_model_delete(self, model):
        object_type, object_id, region_id = g.pop("eih_deleted")
        audit.record("delete", object_type=object_type, object_id=object_id, region_id=region_id)
        db.session.commit()

    def _export_data(self):
        audit.record("export", object_type=self.model.__name__, object_id="*")
        db.session.commit()
        return super()._export_data()


def changed_fields(form) -> list[str]:
    """Names (never values) of the fields whose value differs from the stored one."""
    names = []
    for field in form:
        if field.name == "csrf_token" or field.type in ("HiddenField",):
            continue
        before, after = getattr(field, "object_data", None), getattr(field, "data", None)
        if (before in (None, "") and after in (None, "")) or before == after:
            continue
        names.append(field.name)
    return sorted(names)


def _scope_loader(view, loader) -> None:
    target = getattr(loader, "model", None)
    if target is None or not (target is Region or hasattr(target, "region_id")):
        return
    column = target.id if target is Region else target.region_id
    base_query, base_one = loader.get_query, loader.get_one

    def get_query():
        query = base_query()
        return query if view.crosses_regions() else query.filter(column == current_user.region_id)

    def get_one(pk):
        obj = base_one(pk)
        if obj is None or view.crosses_regions():
            return obj
        region_id = obj.id if target is Region else obj.region_id
        return obj if region_id == current_user.region_id else None

    loader.get_query, loader.get_one = get_query, get_one


def _target_model(model, attr_name):
    rel = sa_inspect(model).relationships.get(attr_name)
    return rel.mapper.class_ if rel is not None else None
