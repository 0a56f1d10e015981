"""Background work of the rights app: building exports and deleting expired ones."""

from django_tasks import task

from polis.rights.exports import export_build_now, exports_expire


@task()
def export_build(export_id: int) -> str:
    return export_build_now(export_id)


@task()
def expire_exports() -> int:
    return exports_expire()
