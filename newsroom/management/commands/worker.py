"""The background worker: django-tasks' ``db_worker`` that also recovers the jobs of workers that died.

    .venv/bin/python manage.py worker [--queue-name '*'] [--sweep-every 30] [--abandoned-after 3600]

It takes every option of ``db_worker`` (but never reloads on code changes), holds a liveness lock for
its whole life and, when it starts and every ``--sweep-every`` seconds, puts back in the queue the
jobs left RUNNING by a worker that is gone. When the database goes away it waits for it instead of
exiting, and queues again the job the outage cut short (``newsroom/task_workers.py``,
docs/operations.md).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from newsroom.task_workers import (
    WORKER_ID_PREFIX,
    WorkerLiveness,
    logger,
    requeue_abandoned_tasks,
    requeue_tasks_of_worker,
)

#: How often the liveness connection is checked (and the lock taken again after a database restart).
LIVENESS_CHECK_SECONDS = 1.0
#: How often a worker that lost the database tries it again.
DATABASE_RETRY_SECONDS = 1.0


def new_worker_id() -> str:
    """Unique and readable: ``newsroom-<host>-<pid>-<random>``, within db_worker's 64 characters."""
    suffix = f"-{os.getpid()}-{get_random_string(8)}"
    host = socket.gethostname()[: 63 - len(WORKER_ID_PREFIX) - len(suffix)]
    return f"{WORKER_ID_PREFIX}{host}{suffix}"


def sweep(abandoned_after: timedelta) -> None:
    try:
        requeue_abandoned_tasks(abandoned_after=abandoned_after)
    except Exception:  # the database may be down for a moment: the next sweep tries again
        logger.exception("Could not look for abandoned jobs")
    finally:
        connection.close()


def keep_alive(liveness: WorkerLiveness, sweep_every: float, abandoned_after: timedelta) -> None:
    """The worker's second thread: holds the liveness lock, and sweeps every ``sweep_every`` seconds."""
    next_sweep = time.monotonic() + sweep_every
    while True:
        time.sleep(LIVENESS_CHECK_SECONDS)
        liveness.ensure()
        if time.monotonic() >= next_sweep:
            sweep(abandoned_after)
            next_sweep = time.monotonic() + sweep_every


class Command(db_worker.Command):
    help = "Run a background worker that holds a liveness lock and queues again the jobs of dead workers."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=None)
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=30.0,
            help="Seconds between two looks for jobs left running by a dead worker (default: %(default)s).",
        )
        parser.add_argument(
            "--abandoned-after",
            type=float,
            default=3600.0,
            help="Seconds after which a job of a worker without a liveness lock (a plain db_worker) is "
            "queued again (default: %(default)s).",
        )

    def handle(self, *args, sweep_every, abandoned_after, worker_id=None, **options):
        if options.get("reload"):
            # The reloader runs the worker in a child process, which would hold a second lock.
            logger.warning("The worker does not reload on code changes: restart it instead.")
        options["reload"] = False
        worker_id = worker_id or new_worker_id()
        if not worker_id.startswith(WORKER_ID_PREFIX):
            worker_id = f"{WORKER_ID_PREFIX}{worker_id}"[:64]
        liveness = WorkerLiveness(worker_id)
        if not liveness.ensure():
            raise CommandError(
                f"Worker {worker_id} cannot take its liveness lock: the database is out of reach, or another "
                "worker runs with this id."
            )
        abandoned = timedelta(seconds=abandoned_after)
        sweep(abandoned)
        threading.Thread(
            target=keep_alive, args=(liveness, sweep_every, abandoned), name="worker-liveness", daemon=True
        ).start()
        try:
            while True:
                try:
                    super().handle(*args, worker_id=worker_id, **options)
                    return
                except (OperationalError, InterfaceError) as error:
                    logger.warning("The database is out of reach (%s): trying again.", str(error).strip())
                self.wait_for_the_database(worker_id, options["interval"])
        finally:
            liveness.release()

    def wait_for_the_database(self, worker_id: str, interval: float) -> None:
        """Once the database answers again, queue again the job the outage cut short (if any)."""
        while True:
            connection.close()
            time.sleep(max(interval, DATABASE_RETRY_SECONDS))
            try:
                requeue_tasks_of_worker(worker_id)
                return
            except (OperationalError, InterfaceError):
                continue
