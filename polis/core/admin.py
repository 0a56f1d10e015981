"""The admin's view of the task workers: who is alive, what each runs (read-only).

The queue itself is django_tasks_db's admin (Django tasks → Task results).
"""

from django.contrib import admin

from polis.core.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = (
        "worker_id",
        "host",
        "pid",
        "started_at",
        "beat_at",
        "current_task",
        "tasks_run",
    )
    ordering = ["-beat_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
