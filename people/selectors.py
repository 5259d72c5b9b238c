"""Read queries for people and organisations: only who and what public content names."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from newsroom.publication import public_q
from people.models import Organisation, Person
from releases.models import Release


def public_people() -> QuerySet[Person]:
    """People named by a public release or taking part in a public meeting (others have no public page).

    Two semi-joins per person (``EXISTS``), each walking that person's appointments, mentions and
    participations by their indexes and stopping at the first public release or meeting: a person
    page costs the same with 100,000 releases as with ten (``IN`` over every public release would
    read the whole releases table).
    """
    from meetings.models import Participation

    named = Release.appointments.through.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("release"))
    taking_part = Participation.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("meeting"))
    return Person.objects.filter(Exists(named) | Exists(taking_part))


def search_people(text: str, limit: int = 10) -> list[Person]:
    """Public people whose name resembles ``text``, typos tolerated (pg_trgm similarity).

    The candidates come from the trigram indexes (``%``: similarity of at least 0.3, pg_trgm's
    default threshold, with the full name or the family name; ``%>``: a name containing something
    like the whole query, word similarity of at least 0.6); only they are scored and checked for a
    public page, so a search costs the same with 300 people as with 30,000.
    """
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
    from django.db.models.functions import Greatest

    from people.models import full_name_expression

    text = text[:100]
    if not text:
        return []
    candidates = (
        Q(indexed_name__trigram_similar=text)
        | Q(indexed_name__trigram_word_similar=text)
        | Q(family_name__trigram_similar=text)
    )
    return list(
        public_people()
        .annotate(indexed_name=full_name_expression())
        .filter(candidates)
        .annotate(
            similarity=Greatest(
                TrigramSimilarity("indexed_name", text),
                TrigramWordSimilarity(text, "indexed_name"),
                TrigramSimilarity("family_name", text),
            )
        )
        .filter(similarity__gte=0.3)
        .order_by("-similarity", "family_name")[:limit]
    )


def ministries() -> QuerySet[Organisation]:
    """Ministries in office, for the home page."""
    return Organisation.objects.filter(kind=Organisation.Kind.MINISTRY, closed_on__isnull=True).order_by("name")
