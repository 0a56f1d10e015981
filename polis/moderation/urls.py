"""Moderation URLs: the Report link's page, the staff queue, retagging and the audit log."""

from django.urls import path

from polis.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:target_type>/<int:target_id>", views.report, name="report"),
    path("moderation", views.queue, name="queue"),
    path("moderation/<str:target_type>/<int:target_id>/decide", views.decide, name="decide"),
    path("moderation/works/<int:work_id>/retag", views.retag, name="retag"),
    path("moderation/audit", views.audit_log, name="audit"),
]
