"""Dutch-first labels of the casework vocabulary (English source strings)."""
from flask_babel import lazy_gettext as _l

KIND_LABELS = {"regular": _l("regular"), "thv": _l("temporary restraining order (THV)"),
               "direct": _l("direct contact (without a professional)")}
STATUS_LABELS = {"registered": _l("registered"), "intake": _l("intake"), "active": _l("active"),
                 "evaluation": _l("evaluation"), "extended": _l("extended"), "transferred": _l("transferred"),
                 "closed": _l("closed")}
TRANSITION_LABELS = {"start_intake": _l("Start intake"), "start_deployment": _l("Start deployment"),
                     "start_evaluation": _l("Start evaluation"), "extend": _l("Extend"),
                     "resume": _l("Resume deployment"), "transfer": _l("Transfer"),
                     "reconsider": _l("Reconsider after transfer"), "close": _l("Close and hand over"),
                     "withdraw_consent": _l("Consent withdrawn")}
EVENT_LABELS = {**TRANSITION_LABELS, "register": _l("Registered"), "record_consent": _l("Consent recorded"),
                "propose_expert": _l("Expert proposed"), "deploy_expert": _l("Expert deployed"),
                "end_deployment": _l("Deployment ended"), "record_evaluation": _l("Evaluation recorded"),
                "log_contact": _l("Contact form"), "link": _l("Linked case"), "decline": _l("Expert declined"),
                "import": _l("Imported")}
GENDER_LABELS = {"female": _l("female"), "male": _l("male"), "other": _l("other")}
PERSPECTIVE_LABELS = {"victim": _l("victim"), "perpetrator": _l("perpetrator")}
VIOLENCE_LABELS = {"partner": _l("partner violence"), "honour-related": _l("honour-related violence"),
                   "stalking": _l("stalking"), "child-abuse": _l("child abuse"), "other": _l("other")}
URGENCY_LABELS = {"normal": _l("normal"), "urgent": _l("urgent")}
CONSENT_LABELS = {"in-person": _l("in person"), "phone": _l("by phone"), "written": _l("in writing"),
                  "via-professional": _l("via the professional")}
MODE_LABELS = {"in-person": _l("in person"), "phone": _l("phone"), "video": _l("video"), "message": _l("message")}
DECISION_LABELS = {"follow": _l("follow the client"), "close": _l("close"), "new-role": _l("new role")}
HELP_LABELS = {"yes": _l("yes"), "no": _l("no"), "unknown": _l("unknown")}
DEPLOYMENT_LABELS = {"proposed": _l("proposed"), "active": _l("active"), "ended": _l("ended")}
SOURCE_LABELS = {"lead": _l("registered by the project lead"), "form": _l("the request form"),
                 "import": _l("imported")}
FEEDBACK_LABELS = {"email": _l("by e-mail"), "print": _l("printed")}
FLAG_LABELS = {"never-alone": _l("never alone: always two experts"),
               "address-confidential": _l("address confidential"),
               "no-home-visits": _l("no home visits")}
NEW_REPORT_LABELS = {"yes": _l("yes, a new report"), "no": _l("no new report"), "unknown": _l("unknown")}
INTAKE_LABELS = {"intake_why_expert": _l("Why an expert by experience?"),
                 "intake_role": _l("Which role is the expert asked for?"),
                 "intake_expectations": _l("What does the professional expect?"),
                 "intake_client_wishes": _l("What does the client want?"),
                 "intake_safety": _l("Safety concerns"),
                 "agreed_role": _l("Agreed role of the expert"),
                 "agreed_expectations": _l("Agreed expectations"),
                 "goal": _l("Agreed goal")}
EVENT_LABELS.update({"record_intake": _l("Intake recorded"), "request_expert": _l("Expert asked for by name"),
                     "safety_flags": _l("Safety flags changed"), "feedback": _l("Summary to the professional"),
                     "ask_information": _l("More information asked"), "after_contact": _l("Contact after closing"),
                     "new_report": _l("Outcome after six months")})
