"""Routes of the sanction and site-settings pages (staff only)."""

from django.urls import path

from polis.moderation import sanction_views as views

app_name = "sanctions"

urlpatterns = [
    path("moderation/users/<str:username>/sanctions", views.user_sanctions, name="user"),
    path("moderation/users/<str:username>/warn", views.user_warn, name="warn"),
    path("moderation/users/<str:username>/suspend", views.user_suspend, name="suspend"),
    path("moderation/users/<str:username>/unsuspend", views.user_unsuspend, name="unsuspend"),
    path("moderation/users/<str:username>/ban", views.user_ban, name="ban"),
    path("moderation/users/<str:username>/unban", views.user_unban, name="unban"),
    path("moderation/site_settings", views.site_settings_edit, name="site_settings"),
    path(
        "moderation/invitation_requests/release",
        views.invitation_release,
        name="invitation_release",
    ),
]
