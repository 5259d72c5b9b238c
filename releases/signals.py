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

from releases.models import Release, ReleaseOrganisation, refresh_organisation_ids


@receiver(post_save, sender=ReleaseOrganisation, dispatch_uid="releases.issuer.saved")
@receiver(post_delete, sender=ReleaseOrganisation, dispatch_uid="releases.issuer.deleted")
def issuer_changed(sender, instance: ReleaseOrganisation, **kwargs) -> None:
    refresh_organisation_ids(Release.objects.filter(pk=instance.release_id))


@receiver(post_save, sender=Release, dispatch_uid="releases.release.saved")
def release_saved(sender, instance: Release, **kwargs) -> None:
    refresh_organisation_ids(Release.objects.filter(pk=instance.pk))


# Publication events, for the apps above (alerts/ sends e-mails on them). Sent inside the service's
# transaction, after its audit entry; a receiver that starts work should wait for the commit
# (``transaction.on_commit``). ``release`` is the Release; ``update`` the ReleaseUpdate of a correction.
release_scheduled = Signal()
release_published = Signal()
release_corrected = Signal()
