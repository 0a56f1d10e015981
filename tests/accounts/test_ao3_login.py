"""AO3's login URLs for readers' tools: /token_dispenser.json, /users/login, /users/logout.

The client enforces CSRF checks throughout: the Rails field `authenticity_token` must pass
Django's own check, never skip it.
"""

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD

LOGIN = "/users/login"


@pytest.fixture
def tool():
    """A client that checks CSRF as a real server does."""
    return Client(enforce_csrf_checks=True)


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def dispensed_token(client) -> str:
    response = client.get("/token_dispenser.json")
    assert response.status_code == 200
    return response.json()["token"]


def ao3_fields(login: str, password: str, token: str) -> dict:
    """What FanFicFare and ao3downloader post."""
    return {
        "user[login]": login,
        "user[password]": password,
        "user[remember_me]": "1",
        "authenticity_token": token,
        "commit": "Log in",
        "utf8": "\u2713",
    }


@pytest.mark.django_db
def test_token_dispenser_gives_a_csrf_token_and_its_cookie_uncached(tool):
    response = tool.get("/token_dispenser.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["token"]
    assert len(response.json()["token"]) == 64
    assert "csrftoken" in response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_token_dispenser_answers_only_get(client):
    assert client.post("/token_dispenser.json").status_code == 405


@pytest.mark.django_db
def test_login_page_has_ao3_form_and_field_names(tool):
    response = tool.get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Log In | Polis</title>" in html
    assert '<form method="post" action="/users/login" class="login" id="new_user">' in html
    assert '<input type="hidden" name="authenticity_token" value="' in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert '<label for="user_login">Username or e-mail' in html
    assert 'name="user[login]"' in html and 'id="user_login"' in html
    assert 'name="user[password]"' in html and 'id="user_password"' in html
    assert 'name="user[remember_me]"' in html and 'id="user_remember_me"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["alice", "alice@example.org"])
def test_login_with_ao3_fields_and_dispensed_token(tool, alice, login):
    response = tool.post(LOGIN, ao3_fields(login, PASSWORD, dispensed_token(tool)))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(tool) == str(alice.pk)


@pytest.mark.django_db
def test_login_with_the_token_from_the_login_form(tool, alice):
    html = tool.get(LOGIN).content.decode()
    token = html.split('name="authenticity_token" value="', 1)[1].split('"', 1)[0]

    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, token))

    assert response.status_code == 302
    assert logged_in_user_id(tool) == str(alice.pk)


@pytest.mark.django_db
def test_page_after_login_shows_what_tools_look_for(tool, alice):
    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, dispensed_token(tool)), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    assert '<body class="logged-in">' in html
    assert '<a href="/users/logout" rel="nofollow">Log Out</a>' in html


@pytest.mark.django_db
def test_logged_out_pages_say_so(tool):
    html = tool.get("/").content.decode()

    assert '<body class="logged-out">' in html
    assert "/users/logout" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [None, "", "not-the-token", "x" * 64],
    ids=["missing", "empty", "garbage", "wrong"],
)
def test_login_without_the_matching_token_is_refused(tool, alice, token):
    dispensed_token(tool)  # the cookie is there; the token sent is not its match
    fields = ao3_fields("alice", PASSWORD, token or "")
    if token is None:
        del fields["authenticity_token"]

    response = tool.post(LOGIN, fields)

    assert response.status_code == 403
    assert logged_in_user_id(tool) is None


@pytest.mark.django_db
def test_login_token_without_its_cookie_is_refused(tool, alice):
    token = dispensed_token(Client(enforce_csrf_checks=True))  # another client's token

    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, token))

    assert response.status_code == 403
    assert logged_in_user_id(tool) is None


@pytest.mark.django_db
def test_login_over_https_from_a_tool_without_origin_or_referer(alice):
    tool = Client(enforce_csrf_checks=True)
    token = tool.get("/token_dispenser.json", secure=True).json()["token"]

    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, token), secure=True)

    assert response.status_code == 302
    assert logged_in_user_id(tool) == str(alice.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/form"},
        {"Origin": "null"},
    ],
    ids=["origin", "referer", "null-origin"],
)
def test_login_over_https_from_another_site_is_refused_even_with_the_token(alice, headers):
    tool = Client(enforce_csrf_checks=True)
    token = tool.get("/token_dispenser.json", secure=True).json()["token"]

    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, token), secure=True, headers=headers)

    assert response.status_code == 403
    assert logged_in_user_id(tool) is None


@pytest.mark.django_db
def test_login_with_wrong_password_is_refused_with_summary(tool, alice):
    response = tool.post(LOGIN, ao3_fields("alice", "wrong-password", dispensed_token(tool)))

    html = response.content.decode()
    assert response.status_code == 200
    assert logged_in_user_id(tool) is None
    assert "Sorry, we couldn't log you in:" in html
    assert 'value="alice"' in html
    assert "/users/logout" not in html


@pytest.mark.django_db
def test_failed_logins_are_rate_limited_as_on_the_normal_login(tool, alice):
    token = dispensed_token(tool)
    for _attempt in range(5):
        tool.post(LOGIN, ao3_fields("alice", "wrong-password", token))

    response = tool.post(LOGIN, ao3_fields("alice", PASSWORD, token))

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert logged_in_user_id(tool) is None


@pytest.mark.django_db
def test_logout_asks_first_then_logs_out_with_authenticity_token(tool, alice):
    tool.force_login(alice)

    page = tool.get("/users/logout")

    assert page.status_code == 200
    assert '<h1 class="heading">Log Out</h1>' in page.content.decode()
    assert logged_in_user_id(tool) == str(alice.pk)

    refused = tool.post("/users/logout", {"authenticity_token": "x" * 64})
    assert refused.status_code == 403
    assert logged_in_user_id(tool) == str(alice.pk)

    response = tool.post("/users/logout", {"authenticity_token": dispensed_token(tool)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(tool) is None


@pytest.mark.django_db
def test_the_password_is_kept_out_of_error_reports(tool, alice):
    response = tool.post(LOGIN, ao3_fields("alice", "wrong password", dispensed_token(tool)))

    assert response.status_code == 200  # refused, so the form is shown again
    assert list(response.wsgi_request.sensitive_post_parameters) == ["user[password]"]
