"""Publishing tells the experts whose work changed, by mail, without client details."""
from __future__ import annotations

import pytest

from eih.extensions import db
from eih.models import Region
from eih.planning.service import publish, remove, start_run
from eih.plugins import set_enabled
from tests.planning.conftest import REGION, expert_by_name, next_week


@pytest.fixture
def app(tmp_path, work, request, smtp):
    from tests.conftest import demo_database, fresh_copy, make_app
    database = fresh_copy(demo_database(request), tmp_path)
    app = make_app(tmp_path, database, EXTRA_PLUGINS=[work], PLUGINS=["testwork"], **smtp.config)
    with app.app_context():
        region = db.session.execute(db.select(Region).filter_by(slug=REGION)).scalar_one()
        set_enabled(region.id, "testwork", True)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _region():
    return db.session.execute(db.select(Region).filter_by(slug=REGION)).scalar_one()


def test_an_expert_is_mailed_new_work_when_a_plan_is_published_and_again_when_it_is_taken_away(app, smtp):
    with app.app_context():
        run = start_run(_region(), next_week(), background=False)
        case_expert = run.working["testwork:case-1"][0]
        publish(run)
        amal_or_other = next(e for e in [expert_by_name(n) for n in ("Amal", "Yvonne", "Sevda", "Priya")]
                             if e.code == case_expert)
        mails = smtp.to(amal_or_other.user.email)
        assert len(mails) == 1
        assert "EIH-TEST-001 · THV" in mails[0].body and "http://127.0.0.1:5000/admin/my-schedule/" in mails[0].body
        assert mails[0].subject == "Je rooster is gewijzigd"

        smtp.clear()
        again = start_run(_region(), next_week(), background=False)
        remove(again, "testwork:case-1", case_expert)
        publish(again, confirm_violations=True)
        removed = smtp.to(amal_or_other.user.email)
        assert len(removed) == 1 and "Niet meer voor jou" in removed[0].body
        assert "EIH-TEST-001" in removed[0].body


def test_an_expert_who_switched_plan_mails_off_gets_none(app, smtp):
    from eih import notify
    with app.app_context():
        run = start_run(_region(), next_week(), background=False)
        code = run.working["testwork:case-1"][0]
        expert = next(e for e in [expert_by_name(n) for n in ("Amal", "Yvonne", "Sevda", "Priya")] if e.code == code)
        notify.set_wanted(expert.user, "plan_published", False)
        db.session.commit()
        publish(run)
        assert smtp.to(expert.user.email) == []
