"""Site-wide read queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from newsroom.models import Tag, TaggedItem


def public_tags(at: datetime | None = None) -> QuerySet[Tag]:
    """Tags used by at least one public release, meeting or gallery (a tag only embargoed content uses is unknown)."""
    from media.models import Gallery
    from meetings.models import Meeting
    from releases.models import Release

    used = Q()
    for model in (Release, Meeting, Gallery):
        used |= Q(  # the content type is joined in SQL: no separate look-up, whatever the cache holds
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=model.objects.public(at).values("pk"),
        )
    return Tag.objects.filter(pk__in=TaggedItem.objects.filter(used).values("tag_id"))
