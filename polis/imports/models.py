"""Import jobs (URLs fetched by the worker), imported works, and archivists' external creators."""

import secrets

from django.db import models
from django.urls import reverse

from polis.accounts.models import User
from polis.works.models import Work


def _claim_token() -> str:
    return secrets.token_urlsafe(32)


class ImportJob(models.Model):
    """One request to import from URLs; the worker fetches them and makes the drafts."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    urls = models.JSONField(default=list)
    as_chapters = models.BooleanField(default=False)  # all URLs become chapters of one work
    options = models.JSONField(default=dict)  # ImportOptions as a dict
    errors = models.JSONField(default=list)  # one message per URL that failed
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running it says it is alive (claim, each page, each draft); a RUNNING job
    # silent past POLIS_IMPORT_STALE_SECONDS lost its worker and is resumed (jobs.py).
    beat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.owner_id}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", kwargs={"job_id": self.pk})


class ExternalCreator(models.Model):
    """A writer whose works an archivist imported; they claim them with the e-mailed token."""

    name = models.CharField(max_length=255)
    email = models.EmailField()
    archivist = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_claim_token)
    claimed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["archivist", "email"], name="imports_externalcreator_archivist_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("imports:claim", kwargs={"token": self.token})


class ImportedWork(models.Model):
    """Where a work came from, and what its source said that a draft cannot hold yet."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="import_record")
    job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="imported"
    )
    importer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    source_url = models.URLField(max_length=2000, blank=True)
    source_name = models.CharField(max_length=255, blank=True)  # the file's name
    creators = models.JSONField(default=list)  # the names the source gave
    updated_on = models.DateField(null=True, blank=True)
    chapter_dates = models.JSONField(default=list)  # ISO dates by chapter position, or null
    external_creator = models.ForeignKey(
        ExternalCreator, null=True, blank=True, on_delete=models.SET_NULL, related_name="works"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Import of work {self.work_id}"
