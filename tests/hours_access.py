"""Access expectations of the hours pages (see test_url_map): an expert only their own
timesheet, the lead the region's, the coordinator reads; admins are not the team."""
from eih import clock
from eih.extensions import db
from eih.models import Expert, User
from tests.access import ROLES, only

TEAM = only("lead", "coordinator", "expert")


def _amal():
    """The expert of the matrix test (amal@) looks at her own week; lead and coordinator at hers."""
    return db.session.execute(db.select(Expert.id).join(User).where(User.email == "amal@eih.example")).scalar_one()


def _with(status: dict, **changes) -> dict:
    return {**status, **changes}


EXPECTED = {
    "hours.index": TEAM,
    "hours.week": TEAM,
    # an empty form is refused with a message: back to the week (302); the coordinator only reads
    "hours.add_row": _with(TEAM, lead=302, expert=302, coordinator=403),
    "hours.delete_row": _with(TEAM, lead=404, expert=404, coordinator=403),
    "hours.submit": _with(only("expert"), expert=302),
    "hours.decide": _with(only("lead"), lead=404),  # nothing submitted in the demo for this week
    "hours.month_csv": only("lead", "coordinator"),
    "otherwork.index": TEAM,
    "otherwork.add_block": _with(TEAM, lead=302, expert=302, coordinator=403),
    "otherwork.delete_block": _with(TEAM, lead=404, expert=404, coordinator=403),
    "otherwork.add_light": _with(TEAM, lead=302, expert=302, coordinator=302),
    "otherwork.delete_light": _with(TEAM, lead=404, expert=404, coordinator=404),
}
URL_ARGS = {
    "hours.week": lambda: {"expert": _amal()},
    "hours.add_row": lambda: {"expert": _amal()},
    "hours.decide": lambda: {"expert": _amal()},
    "hours.delete_row": lambda: {"entry_id": 999999},
    "hours.month_csv": lambda: {"expert": _amal(), "month": clock.today().strftime("%Y-%m")},
    "otherwork.delete_block": lambda: {"block_id": 999999},
    "otherwork.delete_light": lambda: {"row_id": 999999},
}
assert set(ROLES) == set(TEAM)
