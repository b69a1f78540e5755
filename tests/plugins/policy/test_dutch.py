"""Every text of the policy plugin has its Dutch translation in the plugin's own catalog, compiled."""
from tests.plugins.outreach.test_dutch import check_catalog


def test_every_policy_string_has_a_dutch_translation():
    check_catalog("policy")
