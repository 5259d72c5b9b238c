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


def schedule(title: str, seconds: str, organisation_slug: str = "") -> dict:
    """A new release scheduled ``seconds`` from now (its draft, then the editor's scheduling), issued by
    the organisation ``organisation_slug`` or a new ministry."""
    from people.models import Organisation

    issuer = Organisation.objects.get(slug=organisation_slug) if organisation_slug else ministry()
    release = factories.release(
        status=Status.DRAFT, title_fr=title, slug_fr=title.lower().replace(" ", "-"), organisations=[issuer]
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


def two_ministries() -> dict:
    """Two ministries with one public release each, and the addresses of their pages (in French)."""
    from django.utils import translation

    made = {}
    for name in ("a", "b"):
        organisation = ministry()
        release = factories.release(
            title_fr=f"Communiqué du ministère {name.upper()} {organisation.slug}",
            lead_fr=f"Premier chapeau {name.upper()}",
            organisations=[organisation],
            publish_at=timezone.now() - timedelta(seconds=2),  # the newest: first on the home page and lists
        )
        with translation.override("fr"):
            made[name] = {
                "release": release.pk,
                "title": release.title_fr,
                "organisation": organisation.pk,
                "slug": organisation.slug,
                "release_path": Release.objects.get(pk=release.pk).get_absolute_url(),
                "organisation_path": organisation.get_absolute_url(),
            }
    return made


def relead(pk: str, lead: str) -> dict:
    """An editor changes a public release's lead and publishes it as a minor correction."""
    release = Release.objects.get(pk=pk)
    release.lead_fr = lead
    services.release_publish_correction(release=release, by=editor(), major=False, internal_note="Chapeau corrigé")
    return {"pk": release.pk, "lead": lead}


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
