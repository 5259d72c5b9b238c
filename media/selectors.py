"""Which photos the public may see: those used by something public, with rights still valid.

Every condition of "public" comes from ``core.publication`` (``public()`` and ``public_q``);
nothing here writes a status filter by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.compiled import CompiledQuery, compile_queryset
from core.publication import on_site_q, public_q
from media.models import GalleryItem, Photo, Rendition


def rights_valid_q(at: datetime | None = None, prefix: str = "", today: date | None = None) -> Q:
    """Rights not expired at ``at``: ``rights_expire_on`` is the first day the photo may no longer be shown
    (a day in Luxembourg time; ``today`` overrides the day computed from ``at``)."""
    p = f"{prefix}__" if prefix else ""
    today = today or timezone.localdate(at or timezone.now())
    return Q(**{f"{p}rights_expire_on__isnull": True}) | Q(**{f"{p}rights_expire_on__gt": today})


def used_publicly_q(at: datetime | None = None, photo: str = "pk") -> Q:
    """Used by something public at ``at``: a public gallery, the gallery of a public release, or the
    portrait on a public person page (a person named by a public release). Meetings show no photo of
    their own: their photos are those of their releases' galleries. ``photo`` names the photo's id in
    the outer query (``"pk"`` on photos, ``"photo_id"`` on renditions or gallery items)."""
    from people.models import Person

    at = at or timezone.now()
    in_public_gallery = GalleryItem.objects.filter(public_q("gallery", at), photo=OuterRef(photo))
    in_public_release = GalleryItem.objects.filter(public_q("gallery__releases", at), photo=OuterRef(photo))
    portrait = Person.objects.filter(public_q("appointments__releases", at), portrait=OuterRef(photo))
    return Q(Exists(in_public_gallery)) | Q(Exists(in_public_release)) | Q(Exists(portrait))


def visible_photos(at: datetime | None = None, site=None) -> QuerySet[Photo]:
    """Photos the public may see at ``at`` (default: now); with a ministry's ``site``, only those in a
    gallery it carries (``on_site``)."""
    at = at or timezone.now()
    photos = Photo.objects.filter(rights_valid_q(at)).filter(used_publicly_q(at))
    if getattr(site, "organisation_ids", None):
        photos = photos.filter(Exists(GalleryItem.objects.filter(on_site_q(site, "gallery"), photo=OuterRef("pk"))))
    return photos


def with_visibility(queryset: QuerySet[Photo], at: datetime | None = None) -> QuerySet[Photo]:
    """Annotate ``is_visible`` on each photo, in the same query; ``{% picture %}`` reads it."""
    at = at or timezone.now()
    return queryset.annotate(is_visible=Exists(visible_photos(at).filter(pk=OuterRef("pk"))))


def visible_gallery_items(lookup: str = "items", at: datetime | None = None, *, of_public_release=False) -> Prefetch:
    """A ``Prefetch`` of a gallery's items restricted to visible photos, with their renditions.

    One query for the items (whatever their number), one for the renditions:
    ``Gallery.objects.prefetch_related(visible_gallery_items())`` or, from a release,
    ``visible_gallery_items("gallery__items")``.

    ``of_public_release``: the items are those of releases selected through ``public()``. Being in
    the gallery of a public release is one of the ways a photo is used publicly, so only its rights
    remain to check (the three ``EXISTS`` of :func:`used_publicly_q` would cost more to build and to
    plan than the rest of the release page's queries).
    """
    at = at or timezone.now()
    visible = rights_valid_q(at, "photo")
    if not of_public_release:
        visible &= used_publicly_q(at, photo="photo_id")
    return gallery_items_where(lookup, visible)


def gallery_items_where(lookup: str, condition: Q) -> Prefetch:
    """A ``Prefetch`` of gallery items matching ``condition``, in order, with what a page shows of them."""
    return Prefetch(
        lookup,
        queryset=GalleryItem.objects.filter(condition)
        .select_related("photo")
        .prefetch_related(
            # What {% picture %} and the JSON-LD read (a gallery of 30 photos has 300 renditions).
            Prefetch(
                "photo__renditions",
                queryset=Rendition.objects.only("photo_id", "width", "height", "format", "file").order_by("width"),
            ),
        )
        .order_by("position"),
    )


def visible_rendition_queryset(name: str, at: datetime | None = None, today: date | None = None):
    """The rendition stored under ``name`` if its photo is visible at ``at``, as a queryset."""
    at = at or timezone.now()
    return (
        Rendition.objects.filter(file=name)
        .filter(rights_valid_q(at, "photo", today=today), used_publicly_q(at, photo="photo_id"))
        .only("file", "format", "size_bytes", "created_at")
        .order_by("pk")[:1]
    )


# Serving a file asks the same question thousands of times; building it with the ORM costs more than
# PostgreSQL takes to answer it. The SQL is therefore compiled once per process from the very same
# queryset, with stand-in values where the moment, the day and the name go (core.compiled).
_STAND_INS = {
    "at": datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    "today": date(1901, 2, 5),
    "name": "renditions/\x00stand-in-name",
}


@lru_cache(maxsize=8)
def _compiled_visible_rendition(alias: str) -> CompiledQuery:
    queryset = visible_rendition_queryset(_STAND_INS["name"], _STAND_INS["at"], today=_STAND_INS["today"])
    return compile_queryset(queryset.using(alias), _STAND_INS)


def visible_rendition(name: str, at: datetime | None = None) -> Rendition | None:
    """The rendition stored under ``name`` if its photo is visible at ``at``; one indexed query, its
    SQL compiled once per process (the same as :func:`visible_rendition_queryset`)."""
    at = at or timezone.now()
    compiled = _compiled_visible_rendition(Rendition.objects.db)
    return next(iter(compiled.instances({"at": at, "today": timezone.localdate(at), "name": name})), None)


# --- staff previews ------------------------------------------------------------------------------
# A release's preview shows it as it will be published, photos included, to staff who may see the
# release. Who may see which draft is decided above this app: the releases app hands its rule down
# with register_preview_galleries (ReleasesConfig.ready). Nothing below is used for anonymous requests.

#: Functions of a user returning the ids of the galleries that user may preview (a queryset of
#: ``gallery_id`` values or a list), one per app that shows galleries before they are public.
_preview_gallery_sources: list[Callable[[object], QuerySet | list[int]]] = []


def register_preview_galleries(source: Callable[[object], QuerySet | list[int]]) -> None:
    """Let staff preview the photos of the galleries ``source(user)`` names (see above)."""
    if source not in _preview_gallery_sources:
        _preview_gallery_sources.append(source)


def preview_gallery_items(lookup: str = "items", at: datetime | None = None) -> Prefetch:
    """Like :func:`visible_gallery_items`, for a staff preview: every photo of the gallery whose rights
    are valid, public or not yet (a draft's photos are not public until the draft is)."""
    return gallery_items_where(lookup, rights_valid_q(at or timezone.now(), "photo"))


def staff_preview_rendition(name: str, user) -> Rendition | None:
    """The rendition stored under ``name`` if ``user`` may preview an item whose gallery holds its
    photo (staff, with access to a release of their organisation: the registered sources); else None."""
    if not (user.is_authenticated and user.is_active and user.is_staff) or not _preview_gallery_sources:
        return None
    previewable = Q()
    for source in _preview_gallery_sources:
        previewable |= Q(photo__gallery_items__gallery_id__in=source(user))
    return (
        Rendition.objects.filter(previewable, file=name)
        .only("file", "format", "size_bytes", "created_at")
        .order_by("pk")
        .first()
    )
