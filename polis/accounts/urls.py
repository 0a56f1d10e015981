"""Routes for user pages, pseuds and settings (AO3 shapes: /users/NAME/pseuds/PSEUD)."""

from django.urls import path

from polis.accounts import ao3_login, reading_views, views

app_name = "accounts"

urlpatterns = [
    # AO3's login URLs, for readers' tools; before users/<username>, which would take them.
    path("token_dispenser.json", ao3_login.token_dispenser, name="token_dispenser"),
    path("users/login", ao3_login.users_login, name="users_login"),
    path("users/logout", ao3_login.users_logout, name="users_logout"),
    path("settings", views.settings_view, name="settings"),
    path("preferences", reading_views.preferences, name="preferences"),
    path("users/<str:username>", views.user_show, name="user"),
    path("users/<str:username>/profile", views.user_profile, name="profile"),
    path("users/<str:username>/works", views.user_works, name="user_works"),
    path("users/<str:username>/drafts", views.user_drafts, name="drafts"),
    path("users/<str:username>/creatorships", views.creatorship_requests, name="creatorships"),
    path("users/<str:username>/pseuds", views.pseud_index, name="pseuds"),
    path("users/<str:username>/pseuds/new", views.pseud_new, name="pseud_new"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud_show, name="pseud"),
    path("users/<str:username>/pseuds/<str:pseud>/edit", views.pseud_edit, name="pseud_edit"),
    path("users/<str:username>/pseuds/<str:pseud>/works", views.pseud_works, name="pseud_works"),
]
