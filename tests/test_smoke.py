from tests.dates import every_date


def test_login_page_is_dutch_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data and b'name="password"' in response.data


@every_date
def test_every_demo_role_can_log_in(client, auth):
    for who in ("admin", "lead", "coordinator", "expert"):
        auth.login(who)
        assert client.get("/admin/").status_code == 200
        auth.logout()
