"""Labels of the outreach vocabulary (English source strings, Dutch in the catalog).

Every stored value of models.py has its label here (tests/plugins/test_shape.py checks it).
"""
from flask_babel import lazy_gettext as _l

FORM_LABELS = {"lecture": _l("lecture"), "workshop": _l("workshop"), "case_discussion": _l("case discussion"),
               "guest_lecture": _l("guest lecture"), "theme_lunch": _l("theme lunch"),
               "podcast_webinar": _l("podcast or webinar")}
PERSPECTIVE_LABELS = {"": _l("any perspective"), "victim": _l("victim perspective"),
                      "perpetrator": _l("perpetrator perspective")}
SOURCE_LABELS = {"public": _l("order form"), "lead": _l("entered by the project lead")}
ORDER_STATUS_LABELS = {"new": _l("new"), "talk": _l("preliminary talk"), "planned": _l("session planned"),
                       "given": _l("given"), "evaluated": _l("evaluated"), "closed": _l("closed"),
                       "cancelled": _l("cancelled")}
TALK_LABELS = {"none": _l("not planned yet"), "planned": _l("planned"), "done": _l("held")}
SESSION_STATUS_LABELS = {"planned": _l("planned"), "given": _l("given"), "cancelled": _l("cancelled")}
SCORE_LABELS = {1: _l("1 - poor"), 2: _l("2 - meagre"), 3: _l("3 - reasonable"), 4: _l("4 - good"),
                5: _l("5 - excellent")}
STORY_SETTING_LABELS = {"small_group": _l("small group"), "large_audience": _l("large audience"),
                        "recorded": _l("recorded (podcast, webinar)"), "education": _l("education (students)")}
STORY_LEVEL_LABELS = {"full": _l("shares the whole story"), "partial": _l("shares part of the story"),
                      "none": _l("does not share the story here")}
