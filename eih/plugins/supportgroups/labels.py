"""Labels of the support-group vocabulary (English source strings, Dutch in the catalog).

Every stored value of models.py has its label here (tests/plugins/test_shape.py checks it).
"""
from flask_babel import lazy_gettext as _l

KIND_LABELS = {"perpetrators": _l("perpetrators"), "victims": _l("victims"), "other": _l("other")}
# The facilitators' requirements: "" is any
GENDER_LABELS = {"": _l("any"), "female": _l("female"), "male": _l("male"), "other": _l("other")}
PERSPECTIVE_LABELS = {"": _l("any"), "victim": _l("victim perspective"), "perpetrator": _l("perpetrator perspective")}
CADENCE_LABELS = {"weekly": _l("weekly"), "biweekly": _l("every two weeks"), "custom": _l("custom dates")}
WEEKDAY_LABELS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
                  _l("Sunday")]
SESSION_STATUS_LABELS = {"planned": _l("planned"), "held": _l("held"), "cancelled": _l("cancelled")}
PARTICIPANT_STATUS_LABELS = {"waitlist": _l("waitlist"), "intake": _l("intake"), "member": _l("member"),
                             "left": _l("left")}
INTRO_LABELS = {"none": _l("not yet planned"), "planned": _l("planned"), "done": _l("done")}
ATTENDANCE_LABELS = {"present": _l("present"), "absent-notice": _l("absent with notice"),
                     "absent": _l("absent without notice")}
