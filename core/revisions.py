"""Revisions (django-reversion): the admin side that keeps them.

Each app registers its own models with reversion in its ``AppConfig.ready()``: a release is kept
with its ordered issuers and its tag links (``tagged_items``, the generic ``TaggedItem`` rows, since
taggit's manager is not serialised); its translated texts are columns and its people a plain
many-to-many, so both come along. Meetings keep their participants and galleries their ordered photos.
"""

from __future__ import annotations

import reversion
from django.utils.translation import gettext as _


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
