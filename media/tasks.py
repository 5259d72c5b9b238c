"""Background work on photos, run by ``manage.py worker`` (django-tasks, database backend), and the
work itself: a photo's renditions written to storage (also run directly by the demo loader and the
``renditions`` command). ``media.services`` enqueues the job when an upload commits."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.files.base import ContentFile
from django_tasks import task

from media.models import Photo, Rendition
from media.renditions import FORMATS as RENDITION_FORMATS
from media.renditions import Credits, render_sizes, target_widths


@task()
def generate_photo_renditions(photo_id: int, force: bool = False) -> int:
    """Make the photo's missing renditions; enqueued right after an upload commits. Safe to retry."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted before the worker got to it
        return 0
    return photo_generate_renditions(photo=photo, force=force)


def rendition_name(photo: Photo, width: int, fmt: str) -> str:
    """A stable, unguessable file name: a retried job overwrites its own files instead of leaving copies."""
    key = hmac.new(settings.SECRET_KEY.encode(), f"rendition:{photo.pk}:{photo.file_hash}".encode(), hashlib.sha256)
    token = key.hexdigest()[:32]
    return f"renditions/{token[:2]}/{token}/{width}.{fmt}"


def photo_generate_renditions(*, photo: Photo, force: bool = False) -> int:
    """Create the missing renditions of ``photo`` (all of them with ``force``); return how many were written.

    Safe to run twice, concurrently, or after a failure half-way: names are stable, each file is
    written before its row, and the (photo, width, format) row is unique.
    """
    storage = Rendition._meta.get_field("file").storage
    existing = {(r.width, r.format): r for r in photo.renditions.all()}
    wanted = {(width, fmt) for width in target_widths(photo.width or 1) for fmt in RENDITION_FORMATS}
    if not force and photo.width and all(key in existing and storage.exists(existing[key].file.name) for key in wanted):
        return 0
    credits = Credits(credit=photo.credit, creator=photo.creator, copyright_notice=photo.copyright_notice)
    with photo.image.open("rb") as source:
        rendered = render_sizes(source, credits)
    made = 0
    for item in rendered:
        current = existing.get((item.width, item.format))
        if current and not force and storage.exists(current.file.name):
            continue
        name = rendition_name(photo, item.width, item.format)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(item.data))
        rendition, created = Rendition.objects.update_or_create(
            photo=photo,
            width=item.width,
            format=item.format,
            defaults={"height": item.height, "file": saved, "size_bytes": len(item.data)},
        )
        if current and current.file.name != saved:
            storage.delete(current.file.name)
        made += 1
    stale = [r for key, r in existing.items() if key not in {(i.width, i.format) for i in rendered}]
    for rendition in stale:  # e.g. a width or format no longer produced
        storage.delete(rendition.file.name)
        rendition.delete()
    return made
