"""The experts' safety: incidents on a case or a session, their follow-up and closing.

An expert (or the lead, or the coordinator) records what happened, when, how
serious it was and whether the police or Veilig Thuis were involved. It reaches
the region's lead and coordinator at once: on their home page until it is
closed, and by mail (:func:`eih.notify.safety_incident`). They follow it up
with actions and close it with a note.

The core keeps the incidents; a plugin offers the form where its work happens
(a case, a session) and names what the incident is about by the work's stable
id (``casework:req-12``) and a title without client details (the case code).
"""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import BooleanField, DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from . import audit, clock, notify
from .admin import SecureView
from .extensions import db
from .home import register_home_panel
from .models import Region, User, utcnow
from .rules import N_, RuleError

SEVERITIES = ("low", "medium", "high")
SEVERITY_LABELS = {"low": _l("low"), "medium": _l("serious"), "high": _l("very serious")}
STATUS_LABELS = {"open": _l("open"), "closed": _l("closed")}
MANAGERS = ("lead", "coordinator")


class SafetyIncident(db.Model):
    """Something that threatened an expert's safety, on a piece of work."""

    __tablename__ = "safety_incident"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    subject: Mapped[str] = mapped_column(String(120), index=True)  # the work's id: casework:req-12
    subject_label: Mapped[str] = mapped_column(String(120), default="")  # case code or session, no client data
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # wall-clock Europe/Amsterdam
    what: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    police_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    veilig_thuis_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closing_note: Mapped[str] = mapped_column(Text, default="")

    region: Mapped[Region] = relationship()
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    actions: Mapped[list[SafetyAction]] = relationship(back_populates="incident", order_by="SafetyAction.id",
                                                       cascade="all, delete-orphan")


class SafetyAction(db.Model):
    """One step of the follow-up of an incident."""

    __tablename__ = "safety_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("safety_incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")

    incident: Mapped[SafetyIncident] = relationship(back_populates="actions")
    by_user: Mapped[User | None] = relationship()


# -- rules ------------------------------------------------------------------------------

def report_incident(region_id: int, subject: str, subject_label: str, occurred_at: datetime, what: str,
                    severity: str, police_involved: bool = False, veilig_thuis_involved: bool = False,
                    user=None) -> SafetyIncident:
    """Record an incident and tell the region's lead and coordinator at once. The caller commits."""
    if occurred_at is None or not (what or "").strip():
        raise RuleError(N_("Say what happened and when."))
    if severity not in SEVERITIES:
        raise RuleError(N_("Choose how serious it was."))
    if occurred_at > clock.now():
        raise RuleError(N_("An incident cannot lie in the future."))
    incident = SafetyIncident(region_id=region_id, subject=subject[:120], subject_label=subject_label[:120],
                              occurred_at=occurred_at, what=what.strip(), severity=severity,
                              police_involved=bool(police_involved), veilig_thuis_involved=bool(veilig_thuis_involved),
                              reported_by_id=getattr(user, "id", None))
    db.session.add(incident)
    db.session.flush()
    audit.record("create", incident, region_id=region_id, user=user, detail=f"{subject} severity={severity}")
    notify.safety_incident(incident, f"/admin/safety/{incident.id}")
    return incident


def add_action(incident: SafetyIncident, text: str, user=None) -> SafetyAction:
    if incident.status == "closed":
        raise RuleError(N_("This incident is closed."))
    if not (text or "").strip():
        raise RuleError(N_("Describe the action."))
    action = SafetyAction(text=text.strip(), by_user_id=getattr(user, "id", None))
    incident.actions.append(action)
    db.session.flush()
    audit.record("update", incident, user=user, detail="action added")
    return action


def close_incident(incident: SafetyIncident, note: str, user=None) -> None:
    if incident.status == "closed":
        raise RuleError(N_("This incident is closed."))
    if not (note or "").strip():
        raise RuleError(N_("Close the incident with a note on how it was dealt with."))
    incident.status, incident.closing_note = "closed", note.strip()
    incident.closed_at, incident.closed_by_id = utcnow(), getattr(user, "id", None)
    audit.record("update", incident, user=user, detail="closed")


def incidents_on(subject: str) -> list[SafetyIncident]:
    return db.session.execute(db.select(SafetyIncident).filter_by(subject=subject)
                              .order_by(SafetyIncident.occurred_at)).scalars().all()


# -- forms and pages ---------------------------------------------------------------------

class IncidentForm(FlaskForm):
    """The form a plugin shows where the work happens (its template includes eih/safety_form.html)."""

    occurred_at = DateTimeLocalField(_l("When did it happen"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    what = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=5000)])
    severity = SelectField(_l("How serious"), choices=[(k, v) for k, v in SEVERITY_LABELS.items()], default="medium")
    police_involved = BooleanField(_l("The police were involved"))
    veilig_thuis_involved = BooleanField(_l("Veilig Thuis was involved"))


def report_from_form(form: IncidentForm, region_id: int, subject: str, subject_label: str, user) -> SafetyIncident:
    """Validate ``form`` and report the incident; raises RuleError with what to fix."""
    if not form.validate_on_submit():
        raise RuleError(N_("Say what happened and when."))
    return report_incident(region_id, subject, subject_label, form.occurred_at.data, form.what.data,
                           form.severity.data, form.police_involved.data, form.veilig_thuis_involved.data, user)


class ActionForm(FlaskForm):
    text = TextAreaField(_l("Action taken"), validators=[DataRequired(), Length(max=5000)])


class CloseForm(FlaskForm):
    note = TextAreaField(_l("How it was dealt with"), validators=[DataRequired(), Length(max=5000)])


class SafetyView(SecureView):
    """Lead and coordinator: the region's incidents, their follow-up and closing."""

    roles = MANAGERS

    def _incident(self, id: int) -> SafetyIncident:
        incident = db.session.get(SafetyIncident, id)
        if incident is None or incident.region_id != current_user.region_id:
            abort(404)
        return incident

    @expose("/")
    def index(self):
        rows = db.session.execute(db.select(SafetyIncident).where(
            SafetyIncident.region_id == current_user.region_id)
            .order_by(SafetyIncident.status.desc(), SafetyIncident.occurred_at.desc())).scalars().all()
        return self.render("eih/safety_list.html", rows=rows, severity=SEVERITY_LABELS, status=STATUS_LABELS)

    @expose("/<int:id>")
    def page(self, id: int):
        incident = self._incident(id)
        audit.record("view", incident)
        db.session.commit()
        return self.render("eih/safety_page.html", incident=incident, severity=SEVERITY_LABELS,
                           status=STATUS_LABELS, action_form=ActionForm(), close_form=CloseForm())

    @expose("/<int:id>/action", methods=("POST",))
    def action(self, id: int):
        incident = self._incident(id)
        form = ActionForm()
        self._step(lambda: add_action(incident, form.text.data or "", current_user), form,
                   _("Action recorded."))
        return redirect(url_for(".page", id=id))

    @expose("/<int:id>/close", methods=("POST",))
    def close(self, id: int):
        incident = self._incident(id)
        form = CloseForm()
        self._step(lambda: close_incident(incident, form.note.data or "", current_user), form,
                   _("The incident is closed."))
        return redirect(url_for(".page", id=id))

    def _step(self, run, form, done: str) -> None:
        try:
            if not form.validate_on_submit():
                raise RuleError(N_("Fill in the text first."))
            run()
            db.session.commit()
            flash(done, "success")
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")


def open_incidents(region_id: int) -> list[SafetyIncident]:
    return db.session.execute(db.select(SafetyIncident).where(
        SafetyIncident.region_id == region_id, SafetyIncident.status == "open")
        .order_by(SafetyIncident.occurred_at)).scalars().all()


def home_panel(user) -> list[dict]:
    """Open incidents on the lead's and the coordinator's home page, as an alert."""
    if user.role not in MANAGERS or user.region_id is None:
        return []
    items = [(_("%(subject)s, %(severity)s: reported by %(who)s", subject=i.subject_label,
                severity=SEVERITY_LABELS[i.severity], who=i.reported_by.name if i.reported_by else "-"),
              url_for("safety.page", id=i.id)) for i in open_incidents(user.region_id)]
    return [dict(title=_("Safety incidents to follow up"), items=items, empty=_("No open safety incident."),
                 alert=bool(items))]


def init_app(app) -> None:
    register_home_panel(app, home_panel)


def admin_views() -> list:
    return [SafetyView(name=_l("Safety incidents"), endpoint="safety", url="safety")]


__all__ = ["SafetyIncident", "SafetyAction", "report_incident", "add_action", "close_incident", "IncidentForm",
           "report_from_form", "incidents_on", "SEVERITIES", "SEVERITY_LABELS"]
