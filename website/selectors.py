"""Read queries that span the apps: which tags, people and organisations have a public page, on which site.

What a ministry's site shows (the portal shows everything: ``site`` None or without organisations):

- releases, meetings and galleries whose stored ``organisation_ids`` meet the site's (``on_site``);
- a tag used by one of those;
- a person whom one of those releases names or who takes part in one of those meetings, or who holds
  or held a role in the site's organisation or one under it (and is public at all: named by some
  public release or taking part in some public meeting);
- an organisation of the site's own tree, or one among the ``organisation_ids`` of a public release
  or meeting the site carries (a co-issuer, a meeting's host or participant).

Anything else answers 404 on that site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import BigIntegerField, Exists, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest

from core.compiled import CompiledQuery, compile_queryset
from core.models import Tag, TaggedItem
from core.publication import on_site_q, public_q
from media.models import Gallery
from meetings.models import Meeting, Participation
from people.models import Appointment, Organisation, Person, full_name_expression
from releases.cache_tags import choices_tags
from releases.models import Release
from releases.selectors import public_list_rows


def carries_all(site) -> bool:
    """The portal (or no site at all) carries everything."""
    return not getattr(site, "organisation_ids", None)


def public_tags(at: datetime | None = None, site=None) -> QuerySet[Tag]:
    """Tags used by at least one public release, meeting or gallery that ``site`` carries (a tag only
    embargoed content uses is unknown)."""
    # One semi-join (EXISTS) per kind of content, from the tag's own links to the first public item
    # (by primary key): the cost follows the tag's links, never the size of the releases table.
    used = Q()
    for model in (Release, Meeting, Gallery):
        public_item = model.objects.public(at).on_site(site).filter(pk=OuterRef("object_id"))
        used |= Exists(
            TaggedItem.objects.filter(  # the content type is joined in SQL: no separate look-up
                tag=OuterRef("pk"),
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            ).filter(Exists(public_item))
        )
    return Tag.objects.filter(used)


def public_people(site=None) -> QuerySet[Person]:
    """People named by a public release or taking part in a public meeting (others have no public page);
    on a ministry's site, only those its releases name, its meetings have taking part, or who hold or
    held a role in its organisations (see the module's docstring).

    Two semi-joins per person (``EXISTS``), each walking that person's appointments, mentions and
    participations by their indexes and stopping at the first public release or meeting: a person
    page costs the same with 100,000 releases as with ten (``IN`` over every public release would
    read the whole releases table).
    """
    named = Release.appointments.through.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("release"))
    taking_part = Participation.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("meeting"))
    public = Exists(named) | Exists(taking_part)
    if carries_all(site):
        return Person.objects.filter(public)
    # Named on the site implies public: the site's own people alone need the check that they are public
    # at all (one semi-join fewer for most people; they are tested after the site's).
    own_role = Appointment.objects.filter(person=OuterRef("pk"), role__organisation__in=list(site.organisation_ids))
    return Person.objects.filter(
        Exists(named.filter(on_site_q(site, "release")))
        | Exists(taking_part.filter(on_site_q(site, "meeting")))
        | (Exists(own_role) & public)
    )


# --- A person's page: two queries compiled once per process (core.compiled) ----------------------
_STAND_IN_SLUG = "\x00stand-in-person"


@lru_cache(maxsize=8)
def _compiled_person(alias: str) -> CompiledQuery:
    appointments = Appointment.objects.filter(person=OuterRef("pk")).order_by().values("pk")
    queryset = (
        Person.objects.using(alias)
        .filter(slug=_STAND_IN_SLUG)
        .annotate(appointment_ids=ArraySubquery(appointments))
        .order_by()[:1]
    )
    return compile_queryset(queryset, {"slug": _STAND_IN_SLUG})


def person_at(slug: str) -> Person | None:
    """The person whose address is ``slug``, with the ids of their appointments (``appointment_ids``),
    public or not: whether they have a page is for :func:`public_releases_naming` and
    :func:`public_people` to say."""
    return next(iter(_compiled_person(Person.objects.db).instances({"slug": slug})), None)


def public_releases_naming(appointment_ids: list[int], site=None, limit: int = 20) -> list[Release]:
    """The newest public releases (on ``site``) naming one of these appointments, id and date only (a
    list shown with ``{% release_items %}``): the lists' compiled query, narrowed to them.

    Any of them makes the person public on ``site`` (:func:`public_people`), so the person's page asks
    ``public_people`` only of someone without one.
    """
    appointment_ids = sorted(set(appointment_ids))
    if not appointment_ids:
        return []
    return public_list_rows({"appointment_ids": appointment_ids}, site, per_page=limit)[:limit]


def organisations_on_site(site=None) -> QuerySet[Organisation]:
    """Organisations with a page on ``site``: all of them on the portal; on a ministry's site, those of
    its own tree and those among the ``organisation_ids`` of a public release or meeting it carries."""
    if carries_all(site):
        return Organisation.objects.all()
    # ARRAY[organisation.id]: the GIN-indexed "@>" on the items' stored organisation ids.
    this_one = Func(
        OuterRef("pk"),
        function="ARRAY",
        template="%(function)s[%(expressions)s]",
        output_field=ArrayField(BigIntegerField()),
    )
    return Organisation.objects.filter(
        Q(pk__in=list(site.organisation_ids))
        | Exists(Release.objects.public().on_site(site).filter(organisation_ids__contains=this_one))
        | Exists(Meeting.objects.public().on_site(site).filter(organisation_ids__contains=this_one))
    )


def search_people(text: str, limit: int = 10, site=None) -> list[Person]:
    """Public people (on ``site``) whose name resembles ``text``, typos tolerated (pg_trgm similarity).

    The candidates come from the trigram indexes (``%``: similarity of at least 0.3, pg_trgm's
    default threshold, with the full name or the family name; ``%>``: a name containing something
    like the whole query, word similarity of at least 0.6); only they are scored and checked for a
    public page, so a search costs the same with 300 people as with 30,000.
    """
    text = text[:100]
    if not text:
        return []
    candidates = (
        Q(indexed_name__trigram_similar=text)
        | Q(indexed_name__trigram_word_similar=text)
        | Q(family_name__trigram_similar=text)
    )
    return list(
        public_people(site)
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


@dataclass(frozen=True)
class FoundPerson:
    """A person found by a search, as the results show them (kept between requests)."""

    pk: int
    slug: str
    full_name: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def found_people(text: str, site=None) -> list[FoundPerson]:
    """:func:`search_people` on ``site``, kept per language and query (and site: fragments are kept per
    site) in the page cache's store.

    Tagged with the people found, ``list:people`` (any saved person) and ``choices`` (a release or
    meeting published or changed may make someone public), and never kept past the next publication
    boundary (``core.pagecache.cached_fragment``).
    """
    import hashlib

    from django.utils.translation import get_language

    from core import pagecache

    def build() -> list[FoundPerson]:
        people = search_people(text, site=site)
        pagecache.add_tags("list:people", *choices_tags(site), *(f"person:{person.pk}" for person in people))
        return [FoundPerson(p.pk, p.slug, p.full_name, p.get_absolute_url()) for p in people]

    key = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return pagecache.cached_fragment(f"search-people:{get_language()}:{key}", build)
