"""Labels of the policy vocabulary (English source strings, Dutch in the catalog).

Every stored value of models.py has its label here (tests/plugins/test_shape.py checks it).
"""
from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {"strategic": _l("strategic"), "tactical": _l("tactical"), "operational": _l("operational")}
KIND_LABELS = {"policy_table": _l("policy table"), "working_group": _l("working group"), "platform": _l("platform"),
               "critical_friends": _l("critical friends"), "observation": _l("observing a service"),
               "client_journey": _l("client journey")}
PERSPECTIVE_LABELS = {"": _l("any perspective"), "victim": _l("victim perspective"),
                      "perpetrator": _l("perpetrator perspective")}
MEETING_STATUS_LABELS = {"planned": _l("planned"), "held": _l("held"), "cancelled": _l("cancelled")}
TALK_LABELS = {"none": _l("not planned yet"), "planned": _l("planned"), "done": _l("held")}
CONTRIBUTION_KIND_LABELS = {"oral": _l("oral advice"), "written": _l("written advice")}
OUTCOME_LABELS = {"unknown": _l("not known yet"), "adopted": _l("adopted"), "partly": _l("partly adopted"),
                  "not_adopted": _l("not adopted")}
