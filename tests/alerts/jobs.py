"""Run the background jobs that are due, in this process, as ``manage.py worker`` does (without
closing the test's database connection, which the worker's loop does between jobs)."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER = Worker(
    queue_names=["*"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="tests-in-process",
    excluded_queue_names=[],
)


def run_due_jobs() -> int:
    """Every job whose ``run_after`` has come (by the frozen clock too), until none is left; return how many ran."""
    ran = 0
    while True:
        with transaction.atomic():
            job = DBTaskResult.objects.ready().get_locked()
            if job is None:
                return ran
            job.claim(WORKER.worker_id)
        WORKER.run_task(job)
        job.refresh_from_db()
        assert job.status == "SUCCESSFUL", job.traceback
        ran += 1
