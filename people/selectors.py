"""Read queries for people and organisations: only who and what public content names."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meetings.models import Meeting
from people.models import Appointment, Organisation, Person
from releases.models import Release


def public_people() -> QuerySet[Person]:
    """People named by a public release or taking part in a public meeting (others have no public page)."""
    named = Appointment.objects.filter(
        Q(releases__in=Release.objects.public().values("pk")) | Q(meetings__in=Meeting.objects.public().values("pk"))
    )
    return Person.objects.filter(pk__in=named.values("person"))


def search_people(text: str, limit: int = 10) -> list[Person]:
    """Public people whose name resembles ``text``, typos tolerated (pg_trgm similarity)."""
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
    from django.db.models import Value
    from django.db.models.functions import Concat, Greatest

    text = text[:100]
    if not text:
        return []
    full_name = Concat("given_name", Value(" "), "family_name")
    return list(
        public_people()
        .annotate(
            similarity=Greatest(
                TrigramSimilarity(full_name, text),
                TrigramWordSimilarity(text, full_name),
                TrigramSimilarity("family_name", text),
            )
        )
        .filter(similarity__gte=0.3)
        .order_by("-similarity", "family_name")[:limit]
    )


def ministries() -> QuerySet[Organisation]:
    """Ministries in office, for the home page."""
    return Organisation.objects.filter(kind=Organisation.Kind.MINISTRY, closed_on__isnull=True).order_by("name")
