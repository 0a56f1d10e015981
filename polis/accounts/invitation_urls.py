"""Routes of the "get an invitation" queue (AO3's /invite_requests)."""

from django.urls import path

from polis.accounts import invitation_views as views

app_name = "invitations"

urlpatterns = [
    path("invite_requests", views.invite_request_new, name="request"),
    path("invite_requests/<str:token>", views.invite_request_status, name="request_status"),
]
