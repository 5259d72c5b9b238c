"""A release's ``organisation_ids`` follow its issuers, whatever writes them.

Contract: after a ReleaseOrganisation is saved or deleted (the admin's inline, a service, a revision
being restored, a deleted release taking its issuers along) and after a Release is saved (its
in-memory copy, or a restored revision, may hold an older value), the release's
``organisation_ids`` are stored again from its issuers, in the same transaction. Rows written in
bulk (``bench/datagen.py``) call ``refresh_organisation_ids`` themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from media.models import organisations as gallery_organisations
from meetings.models import organisations as meeting_organisations
from releases.models import Release, ReleaseOrganisation, refresh_organisation_ids


def issuers_of_meetings(meeting_ids):
    """Source of meetings' ``organisation_ids``: the issuers of the releases about them."""
    return ReleaseOrganisation.objects.filter(release__meeting_id__in=meeting_ids).values_list(
        "release__meeting_id", "organisation_id"
    )


def issuers_of_galleries(gallery_ids):
    """Source of galleries' ``organisation_ids``: the issuers of the releases carrying them."""
    return ReleaseOrganisation.objects.filter(release__gallery_id__in=gallery_ids).values_list(
        "release__gallery_id", "organisation_id"
    )


def refresh_linked(release: Release, *, also_loaded: bool = True) -> None:
    """The meeting and gallery a release is (and was, as loaded) linked to store their organisations again."""
    loaded = getattr(release, "_links_as_loaded", {}) if also_loaded else {}
    meeting_organisations.refresh([release.meeting_id, loaded.get("meeting_id")])
    gallery_organisations.refresh([release.gallery_id, loaded.get("gallery_id")])


@receiver(post_save, sender=ReleaseOrganisation, dispatch_uid="releases.issuer.saved")
@receiver(post_delete, sender=ReleaseOrganisation, dispatch_uid="releases.issuer.deleted")
def issuer_changed(sender, instance: ReleaseOrganisation, **kwargs) -> None:
    refresh_organisation_ids(Release.objects.filter(pk=instance.release_id))
    links = Release.objects.filter(pk=instance.release_id).values("meeting_id", "gallery_id").first()
    if links:
        meeting_organisations.refresh([links["meeting_id"]])
        gallery_organisations.refresh([links["gallery_id"]])


@receiver(post_save, sender=Release, dispatch_uid="releases.release.saved")
def release_saved(sender, instance: Release, **kwargs) -> None:
    refresh_organisation_ids(Release.objects.filter(pk=instance.pk))
    refresh_linked(instance)
    instance._links_as_loaded = {"meeting_id": instance.meeting_id, "gallery_id": instance.gallery_id}


@receiver(post_delete, sender=Release, dispatch_uid="releases.release.deleted")
def release_deleted(sender, instance: Release, **kwargs) -> None:
    refresh_linked(instance)


# Publication events, for the apps above (alerts/ sends e-mails on them). Sent inside the service's
# transaction, after its audit entry; a receiver that starts work should wait for the commit
# (``transaction.on_commit``). ``release`` is the Release; ``update`` the ReleaseUpdate of a correction.
release_scheduled = Signal()
release_published = Signal()
release_corrected = Signal()
