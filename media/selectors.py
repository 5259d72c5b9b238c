"""Which photos the public may see: those used by something public, with rights still valid."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from media.models import Gallery, Photo


def visible_photos(at: datetime | None = None) -> QuerySet[Photo]:
    """Photos in a public gallery, in the gallery of a public release, or portraits on a public person page."""
    from releases.models import Release

    at = at or timezone.now()
    public_releases = Release.objects.public(at)
    used = (
        Q(galleries__in=Gallery.objects.public(at))
        | Q(galleries__releases__in=public_releases)
        | Q(portrait_of__appointments__releases__in=public_releases)
    )
    rights_valid = Q(rights_expire_on__isnull=True) | Q(rights_expire_on__gt=timezone.localdate(at))
    return Photo.objects.filter(rights_valid).filter(pk__in=Photo.objects.filter(used).values("pk"))
