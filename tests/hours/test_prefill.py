"""A week's timesheet is pre-filled from what the app knows: contact forms, support-group
sessions held, intervision and team meetings attended, and every other plugin's records
through the declared hook ``worked(region, expert, period)``."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eih.extensions import db
from eih.hours.work import recorded, week_period, week_rows
from eih.plugins import Plugin, PluginError, WorkItem, set_enabled
from tests.hours.helpers import at, contact, held_session, meeting, new_expert, region, this_monday


def _last_week():
    return this_monday() - timedelta(weeks=1)


def test_a_contact_form_fills_in_its_duration_case_code_and_heaviness(app):
    with app.app_context():
        tess = new_expert()
        form = contact(tess, at(_last_week() + timedelta(days=1), 10), minutes=90, heaviness=2)
        [row] = week_rows(tess, _last_week())
        assert (row.day, row.hours, row.activity, row.label) == (form.held_at.date(), 1.5, "casework", form.request.code)
        assert row.origin == "record" and row.load == 2 and row.heavy_until is None
        assert row.municipality_id == form.request.municipality_id and row.source == f"casework:contact-{form.id}"


def test_a_contact_form_as_heavy_as_the_regions_threshold_is_heavy_work_until_it_ended(app):
    with app.app_context():
        tess = new_expert()
        monday = _last_week()
        light = contact(tess, at(monday, 10), heaviness=3)
        heavy = contact(tess, at(monday + timedelta(days=2), 14), minutes=75, heaviness=4)
        rows = {r.source: r for r in week_rows(tess, monday)}
        assert rows[f"casework:contact-{light.id}"].heavy_until is None  # the default threshold is 4 of 5
        assert rows[f"casework:contact-{heavy.id}"].heavy_until == at(monday + timedelta(days=2), 15, 15)


def test_a_held_session_fills_in_its_duration_and_the_groups_preparation(app):
    with app.app_context():
        tess = new_expert()
        session = held_session(tess, at(_last_week() + timedelta(days=1), 19), minutes=120, prep_minutes=45)
        rows = week_rows(tess, _last_week())
        assert [(r.activity, r.hours, r.label) for r in rows] == [
            ("preparation", 0.75, session.group.name), ("supportgroups", 2.0, session.group.name)]
        assert rows[1].start == session.starts_at and rows[1].load == 3  # rated like the planned slot


def test_planned_and_cancelled_sessions_are_not_work_done(app):
    with app.app_context():
        tess = new_expert()
        held_session(tess, at(_last_week(), 19), status="planned")
        held_session(tess, at(_last_week() + timedelta(days=2), 19), status="cancelled")
        assert week_rows(tess, _last_week()) == []


def test_intervision_and_team_meetings_count_when_the_expert_was_there(app):
    with app.app_context():
        tess = new_expert()
        monday = _last_week()
        meeting(tess, at(monday + timedelta(days=2), 13), "session", "present", minutes=150)
        meeting(tess, at(monday, 10), "meeting", "present", minutes=60)
        meeting(tess, at(monday + timedelta(days=3), 10), "meeting", "absent", minutes=60)
        rows = week_rows(tess, monday)
        assert [(r.activity, r.hours, r.day) for r in rows] == [
            ("teammeeting", 1.0, monday), ("intervision", 2.5, monday + timedelta(days=2))]
        assert all(r.load == 0 for r in rows)


class Outreach(Plugin):
    """Another plugin (as outreach or policy will be): its records reach the timesheet
    through the declared hook alone."""

    name = "probeoutreach"
    label = "Probe outreach"

    def worked(self, region, expert, period):
        return [WorkItem(day=period.start + timedelta(days=3), hours=2.5, activity="outreach", label="Workshop Arosa",
                         source="probeoutreach:session-1"),
                WorkItem(day=period.start - timedelta(days=1), hours=9, activity="outreach", label="outside")]


class Broken(Plugin):
    name = "probebroken"
    label = "Probe broken"

    def worked(self, region, expert, period):
        return {"hours": 3}


@pytest.mark.app_config(EXTRA_PLUGINS=[Outreach(), Broken()])
def test_another_plugins_records_arrive_through_the_declared_hook(app):
    with app.app_context():
        set_enabled(region().id, "probeoutreach", True)
        tess = new_expert()
        db.session.commit()
        rows = week_rows(tess, _last_week())
        # only the plugin's work dated in the week
        assert [(r.activity, r.hours, r.label) for r in rows] == [("outreach", 2.5, "Workshop Arosa")]
        set_enabled(region().id, "probeoutreach", False)
        assert week_rows(tess, _last_week()) == []  # a plugin switched off gives nothing


@pytest.mark.app_config(EXTRA_PLUGINS=[Outreach(), Broken()])
def test_a_plugin_whose_hook_returns_something_else_is_named_in_the_error(app):
    with app.app_context():
        set_enabled(region().id, "probebroken", True)
        tess = new_expert()
        with pytest.raises(PluginError, match="probebroken.*worked.*list of WorkItem"):
            recorded(tess, week_period(_last_week()))
