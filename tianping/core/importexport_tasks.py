"""The background task of large imports (django-tasks; `manage.py db_worker` runs it in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_task(job_id: str, mode: str) -> None:
    """Preview (mode="preview") or commit (mode="commit") the import job `job_id`."""
    from tianping.core.importexport_jobs import job_run

    job_run(job_id, mode)
