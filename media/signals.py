"""Generated captions follow the people shown, however a PhotoPerson row changes.

Contract: when a PhotoPerson is saved or deleted, the photo's generated captions (if its caption is
generated, or empty with people shown: ``media.captions.follows_people``) are rewritten once the
transaction commits. The services and the admin's save_related
also regenerate at once, inside the transaction; this catches every other path (the shell, another
admin page, a data migration) without making ``save()`` do more than save.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from media.models import Photo, PhotoPerson, Rendition


def _regenerate_later(photo_id: int) -> None:
    def regenerate():
        from media.services import photo_regenerate_captions

        photo = Photo.objects.filter(pk=photo_id).first()
        if photo is not None:
            photo_regenerate_captions(photo=photo)

    transaction.on_commit(regenerate)


@receiver(post_save, sender=PhotoPerson, dispatch_uid="media.photoperson.saved")
@receiver(post_delete, sender=PhotoPerson, dispatch_uid="media.photoperson.deleted")
def photo_person_changed(sender, instance: PhotoPerson, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    _regenerate_later(instance.photo_id)


@receiver(post_delete, sender=Photo, dispatch_uid="media.photo.deleted")
@receiver(post_delete, sender=Rendition, dispatch_uid="media.rendition.deleted")
def file_owner_deleted(sender, instance, **kwargs) -> None:
    """A deleted photo or rendition takes its file with it, once the deletion has committed."""
    field = instance.image if isinstance(instance, Photo) else instance.file
    name, storage = field.name, field.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
