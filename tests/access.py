"""Expected outcomes of every URL for every role (used by test_url_map).

Each module ``tests/plugins/<plugin>/url_access.py`` defines ``EXPECTED``
(endpoint -> {role: status}) and optionally ``URL_ARGS`` (endpoint ->
callable returning url_for arguments, run inside an app context, logged in
as nobody). The status is that of GET when the rule allows GET, else of an
empty POST (CSRF off in this test; CSRF has its own tests).
"""
ROLES = ("anonymous", "admin", "lead", "coordinator", "expert")


def expect(anonymous=302, admin=403, lead=403, coordinator=403, expert=403):
    return {"anonymous": anonymous, "admin": admin, "lead": lead, "coordinator": coordinator, "expert": expert}


def only(*roles, ok=200, denied=403, anonymous=302):
    """``ok`` for the given roles, ``denied`` for the others, login redirect for anonymous."""
    return {role: (anonymous if role == "anonymous" else ok if role in roles else denied) for role in ROLES}


STAFF = ("lead", "coordinator")
EVERYONE = ("admin", "lead", "coordinator", "expert")
PUBLIC = {role: 200 for role in ROLES}
