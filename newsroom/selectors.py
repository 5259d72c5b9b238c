"""Site-wide read queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from newsroom.models import Tag, TaggedItem


def public_tags(at: datetime | None = None) -> QuerySet[Tag]:
    """Tags used by at least one public release, meeting or gallery (a tag only embargoed content uses is unknown)."""
    from media.models import Gallery
    from meetings.models import Meeting
    from releases.models import Release

    # One semi-join (EXISTS) per kind of content, from the tag's own links to the first public item
    # (by primary key): the cost follows the tag's links, never the size of the releases table.
    used = Q()
    for model in (Release, Meeting, Gallery):
        public_item = model.objects.public(at).filter(pk=OuterRef("object_id"))
        used |= Exists(
            TaggedItem.objects.filter(  # the content type is joined in SQL: no separate look-up
                tag=OuterRef("pk"),
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            ).filter(Exists(public_item))
        )
    return Tag.objects.filter(used)
