"""Writes on photos and galleries: every side effect goes through one of these named verbs.

Called by the admin, the demo loader, the management command and the background task alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from core.pagecache import purge
from media import captions
from media.cache_tags import gallery_tags, photo_tags
from media.metadata import PhotoMetadata, read_metadata
from media.models import Gallery, GalleryItem, Photo, PhotoPerson
from media.tasks import generate_photo_renditions
from media.uploads import CheckedImage, check_upload, open_image
from people.models import Appointment, Person

# --- uploads ---------------------------------------------------------------------------------------


def photo_read_upload(file) -> tuple[CheckedImage, PhotoMetadata]:
    """Check an uploaded file and read its metadata; raise ValidationError to refuse it. Writes nothing."""
    checked = check_upload(file)
    try:
        with open_image(file) as image:
            metadata = read_metadata(image)
    finally:
        file.seek(0)
    return checked, metadata


def _normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


def people_matching(names: Iterable[str]) -> list[dict]:
    """Each name with the Person it matches (accents, case and hyphens ignored), or None. One query."""
    names = [name for name in names if name.strip()]
    if not names:
        return []
    candidates_q = Q()
    for name in names:
        candidates_q |= Q(family_name__unaccent__icontains=_normalise_name(name).split(" ")[-1])
    candidates = {}
    for person in Person.objects.filter(candidates_q).only("pk", "given_name", "family_name").order_by("pk"):
        candidates.setdefault(_normalise_name(person.full_name), person)
    suggestions = []
    for name in names:
        person = candidates.get(_normalise_name(name))
        suggestions.append({"name": name, "person_id": person.pk if person else None})
    return suggestions


def photo_create_from_upload(
    *,
    file,
    uploaded_by=None,
    photo: Photo | None = None,
    checked: CheckedImage | None = None,
    metadata: PhotoMetadata | None = None,
    fields: dict | None = None,
) -> Photo:
    """Save an uploaded photo: checked, prefilled from its metadata, renditions queued after commit.

    ``photo`` may be an unsaved instance carrying what the officer typed (the admin's form); what
    they left empty is prefilled from the file's XMP, IPTC or EXIF. People named in the file are
    stored as suggestions (``Photo.suggested_people``), matched to Person records, for the officer
    to confirm with :func:`photo_confirm_suggested_people`.
    """
    if checked is None or metadata is None:
        checked, metadata = photo_read_upload(file)
    photo = photo or Photo()
    for name, value in (fields or {}).items():
        setattr(photo, name, value)
    for name in ("credit", "creator", "copyright_notice"):
        if not getattr(photo, name) and getattr(metadata, name):
            setattr(photo, name, getattr(metadata, name))
    if not photo.credit and metadata.copyright_notice:
        photo.credit = metadata.copyright_notice[:200]
    if not photo.credit:
        raise ValidationError({"credit": _("Indiquez le crédit : le fichier n'en contient pas.")})
    if photo.taken_at is None:
        photo.taken_at = metadata.taken_at
    if not any(getattr(photo, f"caption_{code}", "") for code, _n in settings.LANGUAGES):
        for code, caption in metadata.captions.items():
            setattr(photo, f"caption_{code}", caption)
    photo.suggested_people = people_matching(metadata.people)
    photo.width, photo.height = checked.width, checked.height
    photo.file_hash = checked.sha256
    photo.original_filename = PurePath(getattr(file, "name", "") or "").name[:255]
    photo.uploaded_by = uploaded_by
    file.seek(0)
    photo.image.save(f"original.{checked.extension}", file, save=False)
    try:
        with transaction.atomic():
            photo.save()
            if photo.caption_is_generated:
                photo_regenerate_captions(photo=photo)
            transaction.on_commit(lambda: photo_enqueue_renditions(photo=photo))
    except BaseException:
        photo.image.delete(save=False)  # no file without its row
        raise
    return photo


def photo_enqueue_renditions(*, photo: Photo) -> None:
    generate_photo_renditions.enqueue(photo.pk)


# --- people shown and captions ---------------------------------------------------------------------


def photo_set_people(*, photo: Photo, appointments: Sequence[Appointment]) -> list[PhotoPerson]:
    """Replace the people shown, left to right, each in the role held on the day the photo was taken.

    An appointment not running that day is swapped for the one the same person did hold then, if any.
    Generated captions are regenerated.
    """
    day = captions.taken_on(photo)
    chosen = captions.appointments_on(list(appointments), day)
    with transaction.atomic():
        photo.people_shown.all().delete()
        rows = PhotoPerson.objects.bulk_create(
            PhotoPerson(photo=photo, appointment=appointment, position=position)
            for position, appointment in enumerate(chosen, start=1)
        )
        photo_regenerate_captions(photo=photo)
        purge(photo_tags(photo.pk))  # bulk_create sends no post_save
    return rows


def photo_confirm_suggested_people(*, photo: Photo) -> list[PhotoPerson]:
    """Turn the matched names read from the file into people shown, in the role held that day."""
    person_ids = [s["person_id"] for s in photo.suggested_people or [] if s.get("person_id")]
    day = captions.taken_on(photo)
    appointments = []
    for person_id in dict.fromkeys(person_ids):
        person = Person.objects.get(pk=person_id)
        held = person.role_on(day) if day else person.appointments.order_by("-started_on").first()
        if held is not None:
            appointments.append(held)
    with transaction.atomic():
        rows = photo_set_people(photo=photo, appointments=appointments)
        Photo.objects.filter(pk=photo.pk).update(suggested_people=[])
        photo.suggested_people = []
    return rows


def photo_regenerate_captions(*, photo: Photo) -> bool:
    """Write the generated captions in every language if the photo's caption follows the people shown:
    "caption is generated" ticked, or no caption written in any language while people are shown (the box
    is then ticked, so the caption keeps following them until the officer writes one).

    Also moves each person shown to the appointment they held on the day taken, when the one
    chosen was not running then. Returns whether anything was written.
    """
    people = list(photo.people_shown.select_related("appointment__person", "appointment__role").order_by("position"))
    written = captions.has_written_caption(photo)
    if not captions.follows_people(is_generated=photo.caption_is_generated, written=written, has_people=bool(people)):
        return False
    day = captions.taken_on(photo)
    held = captions.appointments_on([p.appointment for p in people], day)
    for row, appointment in zip(people, held, strict=True):
        if row.appointment_id != appointment.pk:
            row.appointment = appointment
            row.save(update_fields=["appointment"])
    values = captions.generated_captions(held) | {"caption_is_generated": True}
    Photo.objects.filter(pk=photo.pk).update(**values)
    purge(photo_tags(photo.pk))  # captions shown on public pages
    for name, value in values.items():
        setattr(photo, name, value)
    return True


# --- galleries -------------------------------------------------------------------------------------


def gallery_add_photos(*, gallery: Gallery, photos: Sequence[Photo]) -> list[GalleryItem]:
    """Append photos to a gallery in the order given, after those already in it (duplicates skipped)."""
    with transaction.atomic():
        Gallery.objects.select_for_update().filter(pk=gallery.pk).first()
        already = set(gallery.items.values_list("photo_id", flat=True))
        start = (gallery.items.aggregate(last=Max("position"))["last"] or 0) + 1
        new = [photo for photo in dict.fromkeys(photos) if photo.pk not in already]
        purge(
            gallery_tags(gallery.pk) | {tag for photo in new for tag in photo_tags(photo.pk)}
        )  # bulk_create sends no post_save
        return GalleryItem.objects.bulk_create(
            GalleryItem(gallery=gallery, photo=photo, position=position)
            for position, photo in enumerate(new, start=start)
        )


def gallery_upload_photos(*, gallery: Gallery, files: Sequence, uploaded_by=None, fields: dict | None = None):
    """Create one photo per file, in the order given, and append them to the gallery.

    Every file is checked first; if any is refused, nothing is saved and the errors come back as
    ``{filename: message}`` in the ValidationError.
    """
    read, errors = [], {}
    for file in files:
        try:
            read.append((file, *photo_read_upload(file)))
        except ValidationError as error:
            errors[getattr(file, "name", "?")] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    created = []
    try:
        with transaction.atomic():
            for file, checked, metadata in read:
                created.append(
                    photo_create_from_upload(
                        file=file,
                        uploaded_by=uploaded_by,
                        checked=checked,
                        metadata=metadata,
                        fields=dict(fields or {}),
                    )
                )
            gallery_add_photos(gallery=gallery, photos=created)
    except BaseException:
        for photo in created:
            photo.image.delete(save=False)
        raise
    return created


def gallery_reorder(*, gallery: Gallery, photo_ids: Sequence[int]) -> None:
    """Set the gallery's order (positions are unique, deferred: one transaction, no clash)."""
    with transaction.atomic():
        items = {item.photo_id: item for item in gallery.items.all()}
        order = [pk for pk in photo_ids if pk in items] + [pk for pk in items if pk not in photo_ids]
        for position, pk in enumerate(order, start=1):
            items[pk].position = position
        GalleryItem.objects.bulk_update(items.values(), ["position"])
        purge(gallery_tags(gallery.pk))  # bulk_update sends no post_save
