"""Who may see an import job or a claim page (missing and not yours both 404)."""

from django.http import Http404

from polis.accounts.models import User
from polis.imports.models import ExternalCreator, ImportJob


def access_job(viewer: User, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, owner_id=viewer.pk).first()
    if job is None:
        raise Http404("No such import.")
    return job


def access_claim(token: str) -> ExternalCreator:
    """The token is the secret: whoever holds it may claim (once) what it names."""
    creator = ExternalCreator.objects.filter(token=token).select_related("archivist").first()
    if creator is None or not token:
        raise Http404("No such invitation.")
    return creator
