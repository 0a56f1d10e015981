"""Background preparation of downloads too big (or too slow) to make inside a request."""

from django_tasks import task

from polis.downloads.build import download_prepare_now, series_download_prepare_now


@task()
def download_prepare(work_id: int, extension: str, fingerprint: str) -> str | None:
    """Render and cache one work in one format; releases the pending mark however it ends."""
    return download_prepare_now(work_id, extension, fingerprint)


@task()
def series_download_prepare(
    series_id: int, extension: str, work_ids: list[int], fingerprint: str
) -> str | None:
    """Render and cache one series (the works a reader could see) in one format."""
    return series_download_prepare_now(series_id, extension, work_ids, fingerprint)
