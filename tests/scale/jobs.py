"""A background job for the scale tests: each run writes down which worker process ran it."""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task


@task()
def record_run(job: int) -> int:
    """Insert one row per run (``scale_job_runs``, made by the test), then take a little time."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO scale_job_runs (job, worker_pid) VALUES (%s, %s)", [job, os.getpid()])
    time.sleep(0.05)
    return job
