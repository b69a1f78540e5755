"""Labels of the intervision vocabulary (English source strings, Dutch in the catalog).

Every stored value of models.py has its label here (tests/plugins/test_shape.py checks it).
"""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {"planned": _l("planned"), "held": _l("held"), "cancelled": _l("cancelled")}
ATTENDANCE_LABELS = {"expected": _l("expected"), "present": _l("present"), "absent": _l("absent")}
ABSENCE_LABELS = {"sickness": _l("sickness"), "leave": _l("leave"), "client_work": _l("urgent client work"),
                  "personal": _l("personal circumstances"), "other": _l("other")}
MODE_LABELS = {"online": _l("online"), "on_site": _l("on site")}
SUPERVISION_REASON_LABELS = {
    "emotional_load": _l("emotional load of the work"), "specific_case": _l("a specific case"),
    "personal": _l("personal circumstances"), "professional_growth": _l("professional development"),
    "other": _l("other"),
}
SUPERVISION_STATUS_LABELS = {"requested": _l("requested"), "approved": _l("approved"), "planned": _l("planned"),
                             "done": _l("done"), "declined": _l("declined")}
WEEKDAY_LABELS = {0: _l("Monday"), 1: _l("Tuesday"), 2: _l("Wednesday"), 3: _l("Thursday"), 4: _l("Friday"),
                  5: _l("Saturday"), 6: _l("Sunday")}
# What looks like client data in a free-text field (rules.client_data_hints)
HINT_LABELS = {"e-mail address": _l("an e-mail address"), "phone number": _l("a phone number"),
               "postcode": _l("a postcode"), "BSN": _l("a citizen service number")}
