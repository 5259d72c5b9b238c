"""Revisions (django-reversion) of the publishable items, and the admin side that keeps them.

A release is kept with its ordered issuers and its tag links (``tagged_items``, the generic
``TaggedItem`` rows, since taggit's manager is not serialised); its translated texts are columns and
its people a plain many-to-many, so both come along. Meetings keep their participants and galleries
their ordered photos.
"""

from __future__ import annotations

import reversion
from django.utils.translation import gettext as _


def register_publishables() -> None:
    from media.models import Gallery, GalleryItem
    from meetings.models import Meeting, Participation
    from newsroom.models import TaggedItem
    from releases.models import Release, ReleaseOrganisation

    for model in (TaggedItem, ReleaseOrganisation, Participation, GalleryItem):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Release):
        reversion.register(Release, follow=("issuers", "tagged_items"))
    if not reversion.is_registered(Meeting):
        reversion.register(Meeting, follow=("participations",))
    if not reversion.is_registered(Gallery):
        reversion.register(Gallery, follow=("items",))


class RevisionAdminMixin:
    """Every save through this ModelAdmin keeps a revision, taken once inlines and tags are saved."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Enregistré dans l'administration"))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        reversion.add_to_revision(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        reversion.add_to_revision(obj)
        return super().log_change(request, obj, message)
