"""Site-wide records that every app writes to: the staff audit log."""

from django.conf import settings
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One staff or wrangler action: who did what to which target, why and when.

    Append-only (rows are never changed or deleted, see `save`/`delete`), and it outlives its
    target and actor: both are also kept as text. Written only through `polis.core.audit.record`.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150)
    role = models.CharField(max_length=40, blank=True)  # the role the actor acted in
    verb = models.CharField(max_length=60, db_index=True)  # e.g. "work.hide", "user.suspend"
    target_type = models.CharField(max_length=40, db_index=True)  # e.g. "work", "comment"
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_label = models.CharField(max_length=255, blank=True)  # its title/name at the time
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.actor_name} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class WorkerHeartbeat(models.Model):
    """A running task worker's sign of life, written every few seconds (polis.core.worker).

    `/health` reads the newest beat; a worker whose beat is older than the lease has died,
    and the tasks it was running are handed to another worker (`recover_lost_tasks`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    current_task = models.CharField(max_length=64, blank=True)  # a DBTaskResult id
    tasks_run = models.IntegerField(default=0)

    def __str__(self):
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"


class SignupPolicy(models.TextChoices):
    OPEN = "open", "Open: anyone may sign up"
    INVITATIONS = "invitations", "By invitation: an invitation code is required"
    CLOSED = "closed", "Closed: no new accounts"


class SiteSettings(models.Model):
    """The archive's switches staff change while it runs (one row, pk 1).

    Read through `polis.core.site_settings.site_settings()` (cached) and changed only through
    `site_settings_update`, which records each change in the audit log. `POLIS_SIGNUP` from the
    environment is only the sign-up policy the row starts with.
    """

    signup = models.CharField(max_length=16, choices=SignupPolicy.choices)
    guest_comments = models.BooleanField("Guests may comment", default=True)
    downloads = models.BooleanField("Downloads are on", default=True)
    tag_wrangling = models.BooleanField("Tag wrangling is on", default=True)
    # Sanitised HTML (polis/core/sanitizer.py) shown at the top of every page.
    banner_html = models.TextField(blank=True)
    # Bumped when the banner changes: a reader's dismissal (a cookie) names the version.
    banner_version = models.PositiveIntegerField(default=0)
    # How many queued invitation requests `invitation_requests_release` sends a day.
    invitations_per_day = models.PositiveIntegerField(default=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="core_site_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(signup__in=["open", "invitations", "closed"]),
                name="core_site_settings_signup_valid",
            ),
        ]

    def __str__(self) -> str:
        return "Site settings"
