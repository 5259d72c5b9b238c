"""Read queries for releases: what a page fetches, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from media.models import GalleryItem, PhotoPerson
from people.models import Appointment
from releases.models import Release, ReleaseOrganisation, ReleaseUpdate


def with_page_relations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    """Everything a release page shows, fetched up front whatever the number of photos, people or tags."""
    return queryset.select_related("meeting__host", "gallery").prefetch_related(
        Prefetch(
            "issuers",
            queryset=ReleaseOrganisation.objects.select_related("organisation__successor").order_by("position"),
        ),
        Prefetch(
            "appointments",
            queryset=Appointment.objects.select_related("person", "role__organisation").order_by("person__family_name"),
        ),
        "tags",
        Prefetch("updates", queryset=ReleaseUpdate.objects.filter(major=True).order_by("published_at")),
        Prefetch(
            "gallery__items",
            queryset=GalleryItem.objects.select_related("photo")
            .prefetch_related(
                "photo__renditions",
                Prefetch(
                    "photo__people_shown",
                    queryset=PhotoPerson.objects.select_related("appointment__person", "appointment__role"),
                ),
            )
            .order_by("position"),
        ),
    )


def with_list_relations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    """What a list entry shows: its issuing organisations."""
    return queryset.prefetch_related(
        Prefetch("issuers", queryset=ReleaseOrganisation.objects.select_related("organisation").order_by("position"))
    )


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of ``day`` and of the next day, in Luxembourg time."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return start, end


def slug_q(slug: str) -> Q:
    """A slug in any language (a reader may follow a French link from the German site)."""
    condition = Q()
    for code in settings.LANGUAGE_CODES:
        condition |= Q(**{f"slug_{code}": slug})
    return condition


def find_dated_release(queryset: QuerySet[Release], day: date, slug: str) -> Release | None:
    start, end = local_day_bounds(day)
    return queryset.filter(slug_q(slug), publish_at__gte=start, publish_at__lt=end).first()
