"""Background work on photos, run by ``manage.py worker`` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from media.models import Photo


@task()
def generate_photo_renditions(photo_id: int, force: bool = False) -> int:
    """Make the photo's missing renditions; enqueued right after an upload commits. Safe to retry."""
    from media.services import photo_generate_renditions

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted before the worker got to it
        return 0
    return photo_generate_renditions(photo=photo, force=force)
