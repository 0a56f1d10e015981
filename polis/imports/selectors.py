"""Reads for the import pages: the drafts a job or an invitation made."""

from django.db.models import QuerySet

from polis.imports.models import ExternalCreator, ImportedWork, ImportJob


def job_drafts(job: ImportJob) -> QuerySet[ImportedWork]:
    return job.imported.select_related("work").order_by("pk")


def recent_jobs(user) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(owner=user).order_by("-created_at", "-pk")[:10]


def claim_works(creator: ExternalCreator) -> QuerySet[ImportedWork]:
    return creator.works.select_related("work").order_by("pk")
