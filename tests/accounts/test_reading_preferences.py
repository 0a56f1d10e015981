"""Reading preferences: the /preferences page for guests (a signed cookie) and accounts (a row),
applied as classes on <html>; "show the whole work by default" on the work page."""

import re

import pytest

from polis.accounts.models import ReadingPreferences
from polis.accounts.reading import COOKIE_NAME, DEFAULTS

ALL = {
    "theme": "dark",
    "skin": "parchment",
    "font_family": "sans",
    "font_size": "130",
    "text_width": "narrow",
    "line_spacing": "double",
    "hide_work_skins": "on",
    "view_full_work": "on",
}


def html_class(response) -> str:
    return re.search(r'<html lang="en" class="([^"]*)">', response.content.decode()).group(1)


@pytest.mark.django_db
def test_defaults_follow_the_system_with_a_comfortable_measure(client):
    response = client.get("/preferences")

    assert response.status_code == 200
    assert html_class(response) == (
        "theme-system skin-default font-serif size-100 width-comfortable spacing-normal"
    )
    html = response.content.decode()
    assert 'id="site-skin"' not in html
    assert '<link rel="stylesheet" href="/static/polis/reading.css">' in html
    assert (
        '<input type="radio" name="theme" value="system" id="id_theme_0" required checked>' in html
    )
    assert '<label for="id_theme_0">Follow my system</label>' in html
    for name in ("skin", "font_family", "font_size", "text_width", "line_spacing"):
        assert f'<label for="id_{name}">' in html
    assert '<label for="id_hide_work_skins">Hide creators&#x27; styles (work skins)</label>' in html
    assert '<label for="id_view_full_work">Show the whole work by default</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_a_guest_keeps_every_preference_in_a_signed_cookie(client):
    response = client.post("/preferences", ALL)

    assert response.status_code == 302
    assert response["Location"] == "/preferences"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert ReadingPreferences.objects.count() == 0
    page = client.get("/works")
    assert html_class(page) == (
        "theme-dark skin-parchment font-sans size-130 width-narrow spacing-double no-work-skins"
    )
    assert (
        '<link rel="stylesheet" href="/static/polis/skins/parchment.css" id="site-skin">'
        in page.content.decode()
    )
    assert "Your reading preferences were saved." in page.content.decode()


@pytest.mark.django_db
def test_a_tampered_cookie_is_ignored(client):
    client.post("/preferences", {**ALL, "hide_work_skins": "", "view_full_work": ""})
    value = client.cookies[COOKIE_NAME].value
    client.cookies[COOKIE_NAME] = value.replace("dark", "evil")

    assert html_class(client.get("/works")).startswith("theme-system skin-default")


@pytest.mark.django_db
def test_an_account_keeps_its_preferences_in_its_row(client, make_user):
    alice = make_user("alice")
    client.force_login(alice)

    response = client.post("/preferences", ALL)

    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies
    row = ReadingPreferences.objects.get(user=alice)
    assert (row.theme, row.skin, row.font_family, row.font_size) == (
        "dark",
        "parchment",
        "sans",
        "130",
    )
    assert (row.text_width, row.line_spacing, row.hide_work_skins, row.view_full_work) == (
        "narrow",
        "double",
        True,
        True,
    )
    assert "no-work-skins" in html_class(client.get("/works"))
    client.logout()
    assert html_class(client.get("/works")).startswith("theme-system skin-default")


@pytest.mark.django_db
def test_a_wrong_value_is_refused_keeping_the_others(client):
    response = client.post("/preferences", {**ALL, "font_size": "999"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "font_size": ["Select a valid choice. 999 is not one of the available choices."]
    }
    html = response.content.decode()
    assert '<a href="#id_font_size">Text size</a>' in html
    assert '<input type="radio" name="theme" value="dark" id="id_theme_2" required checked>' in html
    assert COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_show_the_whole_work_by_default(client, make_user, make_work, logged_in):
    writer = make_user("writer")
    work = make_work(writer, chapters=3)
    if logged_in:
        client.force_login(make_user("reader"))
    assert "Chapter 2 text." not in client.get(f"/works/{work.pk}").content.decode()

    client.post("/preferences", {**DEFAULTS, "view_full_work": "on", "hide_work_skins": ""})

    html = client.get(f"/works/{work.pk}").content.decode()
    assert "Chapter 2 text." in html and "Chapter 3 text." in html
    one = client.get(f"/works/{work.pk}?view_full_work=false").content.decode()
    assert "Some words here." in one and "Chapter 2 text." not in one


@pytest.mark.django_db
def test_settings_links_to_reading_preferences(client, make_user):
    client.force_login(make_user("alice"))

    html = client.get("/settings").content.decode()

    assert '<a href="/preferences">Reading Preferences</a>' in html
    assert '<a href="/skins">My Work Skins</a>' in html
