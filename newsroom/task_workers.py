"""Background workers that can die: a liveness lock per worker, and jobs of dead workers run again.

django-tasks' database backend marks a job RUNNING when a worker claims it and SUCCESSFUL or FAILED
when the job ends. A worker killed in between (``kill -9``, out of memory, a machine lost) leaves the
job RUNNING for ever: no other worker picks it up. ``manage.py worker`` (``db_worker`` plus what is
here) closes that gap:

* each worker holds a PostgreSQL session advisory lock named after its id, on a connection of its own,
  for as long as it lives (:class:`WorkerLiveness`). The server drops the lock when the process dies,
  because its connection dies with it; the worker takes it again after a database restart;
* a worker that loses the database (a restart, a failover) waits for it and goes on, and a job the
  outage cut short is queued again (:func:`requeue_tasks_of_worker`);
* :func:`requeue_abandoned_tasks` puts RUNNING jobs back in the queue (READY) when their worker no
  longer holds its lock, or, for a worker without a lock (a plain ``db_worker``), when the job has been
  running longer than ``abandoned_after`` (an hour by default). Workers run it when they start and
  every 30 seconds after that (``manage.py worker --sweep-every``, ``--abandoned-after``).

A requeued job runs again from the start: jobs must be safe to repeat (``media.tasks`` jobs are: a
rendition is unique per photo, width and format and its file name is stable).
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from datetime import timedelta

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

#: Ids of workers that hold a liveness lock start with this.
WORKER_ID_PREFIX = "newsroom-"
#: The first key of the two-key advisory locks held by workers ("NW"), so they meet no other lock.
LIVENESS_LOCK_CLASS = 0x4E57


#: How long a job of a worker without a liveness lock may run before it counts as abandoned.
DEFAULT_ABANDONED_AFTER = timedelta(hours=1)


def liveness_lock_key(worker_id: str) -> int:
    """The second key of the worker's advisory lock: a stable, non-negative 31-bit hash of its id."""
    return zlib.crc32(worker_id.encode()) & 0x7FFFFFFF


def database_conninfo() -> str:
    """Connection parameters of Django's default database, for a connection Django does not manage."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"dbname", "user", "password", "host", "port", "sslmode"} and value not in (None, "")
    }
    return psycopg.conninfo.make_conninfo("", **params)


class WorkerLiveness:
    """The advisory lock that tells other workers this one is alive, on a connection of its own.

    :meth:`ensure` is called about once a second by the worker: it checks the connection and, if the
    database went away and came back, connects and takes the lock again.
    """

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.key = liveness_lock_key(worker_id)
        self._connection: psycopg.Connection | None = None

    def ensure(self) -> bool:
        """Hold the lock; return whether it is held now (False while the database is unreachable)."""
        try:
            if self._connection is not None and not self._connection.closed:
                self._connection.execute("SELECT 1")
                return True
        except psycopg.Error:
            self.release()
        try:
            self._connection = psycopg.connect(database_conninfo(), autocommit=True, connect_timeout=5)
            held = self._connection.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [LIVENESS_LOCK_CLASS, self.key]
            ).fetchone()[0]
        except psycopg.Error as error:
            logger.warning("Worker %s cannot take its liveness lock yet: %s", self.worker_id, error)
            self.release()
            return False
        if not held:
            # Another connection holds it: one of a moment ago that the server has not dropped yet, or
            # another worker started with the same --worker-id.
            logger.warning("Worker %s: its liveness lock is held by another connection.", self.worker_id)
            self.release()
        return held

    def release(self) -> None:
        """Give the lock back now (closing the connection alone frees it only once the server notices)."""
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.execute("SELECT pg_advisory_unlock_all()")
            with contextlib.suppress(psycopg.Error):
                self._connection.close()
        self._connection = None


def live_worker_keys() -> set[int]:
    """Lock keys of the workers alive now (their liveness lock is granted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objsubid = 2 "
            "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [LIVENESS_LOCK_CLASS],
        )
        return {row[0] for row in cursor.fetchall()}


def is_abandoned(task: DBTaskResult, *, live_keys: set[int], now, abandoned_after: timedelta) -> bool:
    """A RUNNING job is abandoned when its worker is gone (no liveness lock), or, for a worker without
    one, when it has been running longer than ``abandoned_after``."""
    worker_id = task.worker_ids[-1] if task.worker_ids else ""
    if worker_id.startswith(WORKER_ID_PREFIX):
        return liveness_lock_key(worker_id) not in live_keys
    return task.started_at is None or task.started_at < now - abandoned_after


def _back_in_queue(task: DBTaskResult) -> str:
    """Make a RUNNING job READY again (any worker may claim it); return its id."""
    task.status = TaskResultStatus.READY
    task.started_at = None
    task.save(update_fields=["status", "started_at"])
    return str(task.id)


def requeue_abandoned_tasks(*, abandoned_after: timedelta = DEFAULT_ABANDONED_AFTER) -> list[str]:
    """Put the RUNNING jobs of dead workers back in the queue; return their ids.

    The job keeps its list of worker ids (one more is added when it is claimed again), so the admin's
    task list shows that it was attempted twice.
    """
    now = timezone.now()
    requeued = []
    with transaction.atomic():
        live_keys = live_worker_keys()
        for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            if not is_abandoned(task, live_keys=live_keys, now=now, abandoned_after=abandoned_after):
                continue
            requeued.append(_back_in_queue(task))
            logger.warning(
                "Job %s (%s) was left running by worker %s (gone, or past the time limit): queued again.",
                task.id,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    return requeued


def requeue_tasks_of_worker(worker_id: str) -> list[str]:
    """Put back in the queue the jobs ``worker_id`` left RUNNING: called by that worker itself when the
    database went away under a job (it runs one job at a time, so none of them is still running)."""
    requeued = []
    with transaction.atomic():
        for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            if task.worker_ids and task.worker_ids[-1] == worker_id:
                requeued.append(_back_in_queue(task))
                logger.warning("Job %s (%s) was cut short by a database outage: queued again.", task.id, task.task_path)
    return requeued
