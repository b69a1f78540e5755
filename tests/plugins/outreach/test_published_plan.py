"""End to end: the planning round staffs the demo's sessions and meetings, publishing sets their
experts, and each expert finds them in "mijn rooster"."""
from __future__ import annotations

from eih.extensions import db
from eih.planning.build import iso_week
from eih.plugins.outreach.models import OutreachOrder, OutreachSession
from eih.plugins.policy.models import PolicyMeeting, PolicyTable
from tests.planning.conftest import next_week, this_week, wait


def _publish_two_weeks(app, client, auth):
    auth.login("lead")
    for period in (this_week(), next_week()):
        response = client.post("/admin/planning/solve", data={"week": iso_week(period)})
        run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        wait(app, run_id)
        assert client.post(f"/admin/planning/run/{run_id}/publish").status_code == 302
    auth.logout()


def test_publishing_staffs_sessions_and_meetings_and_experts_find_them_in_their_schedule(app, client, auth):
    _publish_two_weeks(app, client, auth)
    with app.app_context():
        arosa = db.session.execute(db.select(OutreachSession).join(OutreachOrder).where(
            OutreachOrder.organisation == "Arosa", OutreachSession.status == "planned")).scalar_one()
        platform = db.session.execute(db.select(PolicyMeeting).join(PolicyTable).where(
            PolicyTable.name == "Tactisch platform huiselijk geweld", PolicyMeeting.status == "planned")).scalar_one()
        session_experts = [e.user.email for e in arosa.experts]
        meeting_experts = [e.name for e in platform.experts]
        meeting_expert = platform.experts[0].user.email if platform.experts else None
    assert len(session_experts) == 2  # the workshop asks for two
    assert len(meeting_experts) == 1 and meeting_experts != ["Amal"]  # rotation: Amal went last time
    auth.login(session_experts[0])
    schedule = client.get("/admin/my-schedule/").get_data(as_text=True)
    assert "Workshop werken met ervaringsdeskundigen · Arosa" in schedule
    auth.logout()
    auth.login(meeting_expert)
    assert "Tactisch platform huiselijk geweld · Gemeente Rotterdam" in client.get("/admin/my-schedule/").get_data(
        as_text=True)
