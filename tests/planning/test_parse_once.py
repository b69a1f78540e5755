"""The planning pages read a run's or a version's stored JSON once per page, not once
per demand or expert shown."""
from __future__ import annotations

from eih.planning import build, service
from eih.planning.build import iso_week
from tests.planning.conftest import this_week, wait
from tests.planning.test_round import _solved_run


def _count(monkeypatch, module, name: str) -> dict:
    calls = {"n": 0}
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_the_run_page_parses_the_instance_and_the_plan_once(app, client, auth, monkeypatch):
    run_id = _solved_run(app, client, auth)
    instances = _count(monkeypatch, service, "instance_from_dict")
    plans = _count(monkeypatch, service, "plan_from_dict")
    assert client.get(f"/admin/planning/run/{run_id}").status_code == 200
    assert (instances["n"], plans["n"]) == (1, 1)


def test_the_load_overview_reads_each_published_plan_once_for_all_experts(app, client, auth, monkeypatch):
    auth.login("lead")
    response = client.post("/admin/planning/solve", data={"week": iso_week(this_week())})
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    wait(app, run_id)
    assert client.post(f"/admin/planning/run/{run_id}/publish").status_code == 302
    instances = _count(monkeypatch, build, "instance_from_dict")
    page = client.get("/admin/load/")
    assert page.status_code == 200 and "Marco" in page.get_data(as_text=True)
    assert instances["n"] == 1  # this week's version, for the seven experts of the region
