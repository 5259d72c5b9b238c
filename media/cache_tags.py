"""Cache tags of photos and galleries: a change purges the pages that show them.

``{% picture %}`` adds ``photo:<id>`` to every page showing a photo (its captions and credit are
shown beside it); gallery pages carry ``gallery:<id>``, the gallery list ``list:galleries``.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import pagecache
from media.models import Gallery, GalleryItem, Photo, PhotoPerson, Rendition


def photo_tags(photo_id: int) -> set[str]:
    return {f"photo:{photo_id}"}


def gallery_tags(gallery_id: int) -> set[str]:
    return {f"gallery:{gallery_id}", "list:galleries"}


def _photo_changed(instance: Photo, **kwargs) -> Iterable[str]:
    return photo_tags(instance.pk)


def _photo_row_changed(instance: PhotoPerson | Rendition, **kwargs) -> Iterable[str] | None:
    if kwargs.get("action"):
        return None  # links changed through the many-to-many manager (the admin saves rows): everything
    return photo_tags(instance.photo_id)


def _gallery_changed(instance: Gallery, **kwargs) -> Iterable[str]:
    return gallery_tags(instance.pk)


def _gallery_item_changed(instance: GalleryItem, **kwargs) -> Iterable[str] | None:
    if kwargs.get("action"):
        return None  # links changed through the many-to-many manager (the admin saves rows): everything
    return gallery_tags(instance.gallery_id) | photo_tags(instance.photo_id)


def register() -> None:
    pagecache.register_tagger(Photo, _photo_changed)
    pagecache.register_tagger(PhotoPerson, _photo_row_changed)
    pagecache.register_tagger(Rendition, _photo_row_changed)
    pagecache.register_tagger(Gallery, _gallery_changed)
    pagecache.register_tagger(GalleryItem, _gallery_item_changed)
