"""A background worker killed in the middle of a job, or losing the database under it: the job runs again,
and nothing is duplicated."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw

from media.models import Rendition
from media.renditions import FORMATS, target_widths
from media.services import photo_create_from_upload
from newsroom.task_workers import WORKER_ID_PREFIX, WorkerLiveness, requeue_abandoned_tasks

from .conftest import shared_database_url
from .processes import PYTHON, ROOT, copy_test_database, production_env, wait_until

RENDITIONS_TASK = "media.tasks.generate_photo_renditions"


def large_jpeg(width=9000, height=7000) -> bytes:
    """A 63-megapixel photo: its renditions take about a second to make, long enough to be cut short."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 300):
        draw.ellipse((x, x // 2, x + 900, x // 2 + 700), fill=(x % 255, 90, 150))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def worker_command(*extra: str) -> list[str]:
    return [PYTHON, "manage.py", "worker", "--no-startup-delay", "--interval", "0.1", "--queue-name", "*", *extra]


def renditions_task():
    return DBTaskResult.objects.filter(task_path=RENDITIONS_TASK).get()


@pytest.mark.django_db(transaction=True)
def test_a_job_cut_short_by_kill_9_runs_again_and_leaves_one_set_of_renditions(processes, media_root, tmp_path):
    photo = photo_create_from_upload(
        file=SimpleUploadedFile("grand.jpg", large_jpeg(), content_type="image/jpeg"), fields={"credit": "©MAINT"}
    )
    assert renditions_task().status == TaskResultStatus.READY, "the upload queues the job once committed"
    env = production_env(database_url=shared_database_url(), work=tmp_path, static_root=tmp_path, media_root=media_root)

    first = processes(worker_command(), env, tmp_path / "worker-1.log")
    assert wait_until(lambda: renditions_task().status != TaskResultStatus.READY, timeout=60, step=0.01)
    assert renditions_task().status == TaskResultStatus.RUNNING
    os.killpg(first.pid, signal.SIGKILL)
    killed_at = timezone.now()
    first.wait(timeout=10)

    task = renditions_task()
    assert task.status == TaskResultStatus.RUNNING, "killed mid-job: left running, not finished"
    made_before_the_kill = Rendition.objects.filter(photo=photo).count()
    wanted = {(width, fmt) for width in target_widths(photo.width) for fmt in FORMATS}
    assert made_before_the_kill < len(wanted)

    second = processes(worker_command(), env, tmp_path / "worker-2.log")
    assert wait_until(lambda: renditions_task().status == TaskResultStatus.SUCCESSFUL, timeout=90, step=0.1), (
        tmp_path / "worker-2.log"
    ).read_text()[-3000:]
    task = renditions_task()
    assert len(task.worker_ids) == 2 and all(w.startswith(WORKER_ID_PREFIX) for w in task.worker_ids)
    assert task.worker_ids[0] != task.worker_ids[1], "the second attempt is by the second worker"
    assert second.poll() is None, "the worker goes on waiting for work"

    renditions = list(Rendition.objects.filter(photo=photo))
    print(
        f"\nworker killed with {made_before_the_kill} of {len(wanted)} renditions made; "
        f"the job ran again on a second worker and finished in {(task.finished_at - killed_at).total_seconds():.1f} s"
    )
    assert {(r.width, r.format) for r in renditions} == wanted
    assert len(renditions) == len(wanted), "one rendition per width and format, none twice"
    files_on_disk = sorted(
        str(p.relative_to(media_root)) for p in (media_root / "renditions").rglob("*") if p.is_file()
    )
    assert files_on_disk == sorted(r.file.name for r in renditions), "no stray file from the killed attempt"
    assert DBTaskResult.objects.filter(task_path=RENDITIONS_TASK).count() == 1, "the job is the same row, not a copy"


def running_job(worker_id: str, started_at=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [0], "kwargs": {}},
        task_path=RENDITIONS_TASK,
        backend_name="default",
        run_after=timezone.now(),
        started_at=started_at or timezone.now(),
        worker_ids=[worker_id],
    )


@pytest.mark.django_db(transaction=True)
def test_the_job_of_a_live_worker_is_left_alone_and_queued_again_once_its_worker_is_gone():
    worker_id = f"{WORKER_ID_PREFIX}test-{uuid.uuid4().hex[:8]}"
    liveness = WorkerLiveness(worker_id)
    assert liveness.ensure()
    job = running_job(worker_id)
    try:
        assert requeue_abandoned_tasks() == [], "its worker holds its liveness lock: the job is running"
    finally:
        liveness.release()
    assert requeue_abandoned_tasks() == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY and job.started_at is None
    assert job.worker_ids == [worker_id], "the attempt stays on record"


@pytest.mark.django_db(transaction=True)
def test_a_job_of_a_plain_db_worker_is_queued_again_only_after_the_time_limit():
    recent = running_job("plain-db-worker-1", started_at=timezone.now() - timedelta(minutes=5))
    old = running_job("plain-db-worker-2", started_at=timezone.now() - timedelta(hours=2))
    assert requeue_abandoned_tasks(abandoned_after=timedelta(hours=1)) == [str(old.pk)]
    recent.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING


def job_state(url: str) -> tuple[str, list[str]]:
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s", [RENDITIONS_TASK]
        ).fetchone()


@pytest.mark.django_db(transaction=True)
def test_a_worker_waits_out_a_database_restart_and_finishes_the_job_it_cut_short(
    processes, throwaway_postgres, media_root, tmp_path
):
    """PostgreSQL stops while the worker makes a large photo's renditions: the worker does not exit; once
    the database is back the job runs again (or, if it had finished, stays done) and its renditions are
    there once each."""
    photo = photo_create_from_upload(
        file=SimpleUploadedFile("grand.jpg", large_jpeg(), content_type="image/jpeg"), fields={"credit": "©MAINT"}
    )
    url = copy_test_database(throwaway_postgres)
    env = production_env(database_url=url, work=tmp_path, static_root=tmp_path, media_root=media_root)
    worker = processes(worker_command(), env, tmp_path / "worker.log")
    assert wait_until(lambda: job_state(url)[0] != TaskResultStatus.READY, timeout=60, step=0.01)
    throwaway_postgres.stop("fast")
    time.sleep(2)
    throwaway_postgres.start()

    assert wait_until(lambda: job_state(url)[0] == TaskResultStatus.SUCCESSFUL, timeout=90, step=0.2), (
        job_state(url),
        (tmp_path / "worker.log").read_text()[-3000:],
    )
    assert worker.poll() is None, "the worker waited for the database instead of exiting"
    status, worker_ids = job_state(url)
    print(f"\nworker through a database restart: the job was claimed {len(worker_ids)} time(s), then finished")
    with psycopg.connect(url) as connection:
        made = connection.execute(
            "SELECT width, format FROM media_rendition WHERE photo_id = %s", [photo.pk]
        ).fetchall()
    wanted = {(width, fmt) for width in target_widths(photo.width) for fmt in FORMATS}
    assert sorted(made) == sorted(wanted), "one rendition per width and format, none twice"


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_with_the_same_id_refuses_to_start(tmp_path, media_root):
    worker_id = f"{WORKER_ID_PREFIX}test-{uuid.uuid4().hex[:8]}"
    liveness = WorkerLiveness(worker_id)
    assert liveness.ensure()
    env = production_env(database_url=shared_database_url(), work=tmp_path, static_root=tmp_path, media_root=media_root)
    try:
        second = subprocess.run(
            worker_command("--worker-id", worker_id), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    finally:
        liveness.release()
    assert second.returncode != 0
    assert "cannot take its liveness lock" in second.stderr
