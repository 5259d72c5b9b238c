"""What an editor does, run as a separate process of the scaled-out newsroom (``python -m tests.scale.actions``).

Each command prints one line of JSON. It goes through the newsroom's services and models, as the
admin would, so the page cache's version and the replicas' fence move exactly as in production.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.publication import Status  # noqa: E402
from releases import services  # noqa: E402
from releases.models import Release  # noqa: E402
from tests import factories  # noqa: E402

EDITOR = "scale-editor"
PASSWORD = "scale editor password 2026"


def editor():
    user = get_user_model().objects.filter(username=EDITOR).first()
    return user or factories.user(EDITOR, superuser=True, password=PASSWORD)


def ministry():
    """Each action is its own process, where the factories' counters start again: unique slugs here."""
    return factories.organisation(slug=f"ministere-{uuid.uuid4().hex[:12]}")


def setup() -> dict:
    editor()
    published = factories.release(title_fr="Communiqué déjà public", slug_fr="deja-public", organisations=[ministry()])
    return {"username": EDITOR, "password": PASSWORD, "published": published.pk}


def schedule(title: str, seconds: str) -> dict:
    """A new release scheduled ``seconds`` from now (its draft, then the editor's scheduling)."""
    release = factories.release(
        status=Status.DRAFT, title_fr=title, slug_fr=title.lower().replace(" ", "-"), organisations=[ministry()]
    )
    publish_at = timezone.now().replace(microsecond=0) + timedelta(seconds=int(seconds))
    services.release_schedule(release=release, by=editor(), publish_at=publish_at)
    return {"pk": release.pk, "publish_at": publish_at.timestamp(), "path": address(release, publish_at)}


def postpone(pk: str, seconds: str) -> dict:
    release = Release.objects.get(pk=pk)
    publish_at = timezone.now().replace(microsecond=0) + timedelta(seconds=int(seconds))
    services.release_schedule(release=release, by=editor(), publish_at=publish_at)
    return {"pk": release.pk, "publish_at": publish_at.timestamp()}


def retitle(pk: str, title: str) -> dict:
    release = Release.objects.get(pk=pk)
    release.title_fr = title
    release.save()
    return {"pk": release.pk, "title": title}


def address(release: Release, publish_at) -> str:
    from django.utils import translation

    with translation.override("fr"):
        return Release.objects.get(pk=release.pk).get_absolute_url()


def enqueue(count: str) -> dict:
    from tests.scale.jobs import record_run

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS scale_job_runs (job integer, worker_pid integer)")
    ids = [str(record_run.enqueue(job).id) for job in range(int(count))]
    return {"enqueued": len(ids)}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    print(json.dumps(globals()[command](*arguments)))
