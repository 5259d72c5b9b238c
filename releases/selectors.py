"""Read queries for releases: what a page fetches, in a fixed number of queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import Case, Prefetch, Q, QuerySet, TextField, Value, When
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.compiled import CompiledQuery, SiteStandIn, compile_queryset, numbered
from core.publication import is_carried, site_organisation_ids
from media.selectors import preview_gallery_items, visible_gallery_items
from people.models import Appointment
from releases.models import Release, ReleaseOrganisation, ReleaseUpdate
from releases.search import CONFIGURATIONS, headline_of


def page_relations(*, public: bool = False, staff_preview: bool = False) -> list:
    """The ``prefetch_related`` lookups of a release page: issuers, people, tags, major updates and the
    visible photos of its gallery, one query each whatever their number.

    ``public``: the releases were selected through ``Release.objects.public()``, which makes their
    gallery's photos used publicly (see ``media.selectors.visible_gallery_items``).
    ``staff_preview`` (the staff preview only, never a public page nor a shared preview link): the
    gallery's photos not yet public are shown too, as they will be once the release is; the rendition
    files answer only staff who may see the release (``media.views.RenditionFileView``).
    """
    return [
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
        # Only photos the public may see (rights valid, used by something public): an expired photo leaves the
        # page with its caption and credit.
        preview_gallery_items("gallery__items")
        if staff_preview
        else visible_gallery_items("gallery__items", of_public_release=public),
    ]


def with_page_relations(
    queryset: QuerySet[Release], *, public: bool = False, staff_preview: bool = False
) -> QuerySet[Release]:
    """Everything a release page shows, fetched up front whatever the number of photos, people or tags."""
    return queryset.select_related("meeting__host", "gallery").prefetch_related(
        *page_relations(public=public, staff_preview=staff_preview)
    )


#: Columns a list entry never shows: the bodies in every language and the search vectors, the bulk of a
#: release's row (reading and parsing them cost more than the rest of a list page's query).
LIST_DEFERRED_FIELDS = tuple(f"{field}_{code}" for field in ("body", "search") for code in settings.LANGUAGE_CODES) + (
    "body",
)


def list_issuers() -> Prefetch:
    """A list entry's issuing organisations, in their order (a ``prefetch_related`` lookup)."""
    return Prefetch("issuers", queryset=ReleaseOrganisation.objects.select_related("organisation").order_by("position"))


def with_list_relations(
    queryset: QuerySet[Release], *, with_body: bool = False, issuers: bool = True
) -> QuerySet[Release]:
    """What a list entry shows: its issuing organisations, without the columns it never reads
    (``with_body``: keep the bodies, for a feed that falls back to the body when there is no lead).

    ``issuers=False`` for lists rendered with ``{% release_items %}``: their entries are usually kept
    rendered, and the tag fetches the issuers of the entries it builds only.
    """
    deferred = [name for name in LIST_DEFERRED_FIELDS if not (with_body and name.startswith("body"))]
    queryset = queryset.defer(*deferred)
    return queryset.prefetch_related(list_issuers()) if issuers else queryset


#: A field a list row selected by :func:`light_rows` does not load.
LIGHT_MARK = f"title_{settings.LANGUAGE_CODE}"


def light_rows(queryset: QuerySet[Release]) -> QuerySet[Release]:
    """The rows of a list whose entries are shown with ``{% release_items %}``: their id and date only
    (what the pagination's cursor needs). The entries are usually kept; those that are not are built
    from the releases fetched again in full (one query, through ``public()``)."""
    return queryset.only("id", "publish_at")


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


# The release page's own query, compiled once per process (core.compiled): building it with the ORM
# (the release's 70 columns, the public() condition, the slug in four languages) cost more than
# running it. Stand-in values mark where the request's values go.
_STAND_INS = {
    "now": datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    "start": datetime(1901, 2, 4, 0, 0, 0, 123456, tzinfo=UTC),
    "end": datetime(1901, 2, 5, 0, 0, 0, 654321, tzinfo=UTC),
    "slug": "\x00stand-in-slug",
}


@lru_cache(maxsize=8)
def _compiled_public_dated_release(alias: str) -> CompiledQuery:
    # Without the bodies and search vectors (most of the row): the article is kept rendered, and built
    # from the release fetched again with everything it shows.
    queryset = Release.objects.public(at=_STAND_INS["now"]).using(alias).defer(*LIST_DEFERRED_FIELDS)
    queryset = queryset.filter(
        slug_q(_STAND_INS["slug"]), publish_at__gte=_STAND_INS["start"], publish_at__lt=_STAND_INS["end"]
    )
    return compile_queryset(queryset.order_by("pk")[:1], _STAND_INS)


def public_dated_release(day: date, slug: str, site=None) -> Release | None:
    """``find_dated_release(Release.objects.public().on_site(site), day, slug)``: the same query, its SQL
    compiled once per process (for every site) and run with the request's values, the site's rule then
    applied to the one row found (``is_carried``; a test checks both answer alike)."""
    start, end = local_day_bounds(day)
    compiled = _compiled_public_dated_release(Release.objects.db)  # a replica for an anonymous request, if any
    rows = compiled.rows({"now": timezone.now(), "start": start, "end": end, "slug": slug})
    if not rows or not is_carried(site, rows[0][compiled.columns.index("organisation_ids")]):
        return None
    return compiled.instance(rows[0])


# --- Public lists: filter choices, filtering, pagination -------------------------------------------


def filter_choices(site=None) -> dict:
    """:func:`public_filter_choices` of ``site`` (``request.site``; None: the portal's, everything) in the
    current language, built once per content version.

    Every list, filter, search, tag, person and organisation page and feed validates its filters
    against them; at 100,000 releases building them takes longer than the rest of the page. They are
    kept in the page cache's store under the ``choices`` cache tag (``core.pagecache.cached_fragment``),
    so a change to what they offer (``releases.cache_tags``) and the next publication boundary make them
    be built again. Fragments are kept per site (the site middleware's ``fragment_scope``): a ministry
    site offers only what its own releases name.
    """
    from django.utils.translation import get_language

    from core import pagecache
    from releases.cache_tags import choices_tags

    def build() -> dict:
        pagecache.add_tags(*choices_tags(site))
        return public_filter_choices(site)

    return pagecache.cached_fragment(f"release-filter-choices:{get_language()}", build, keep_in_process=True)


def public_filter_choices(site=None) -> dict:
    """What the filters offer: only organisations, people, tags and meetings of public releases that
    ``site`` carries (``(slug, label)`` lists), each person's appointment ids (``person_appointments``) and each
    organisation's id (``organisation_ids``).

    Four small queries, each a semi-join (``EXISTS``) that stops at the first public release found,
    so their cost follows the number of organisations, people, tags and meetings, not of releases.
    Validating a submitted value against them costs nothing more.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Exists, OuterRef

    from core.models import Tag, TaggedItem
    from meetings.models import Meeting
    from people.models import Organisation, Person

    public = Release.objects.public().on_site(site)
    organisations = Organisation.objects.filter(
        Exists(ReleaseOrganisation.objects.filter(organisation=OuterRef("pk"), release__in=public))
    ).only("slug", "name")
    mentioned = Release.appointments.through.objects.filter(appointment__person=OuterRef("pk"), release__in=public)
    people = (
        Person.objects.filter(Exists(mentioned))
        .only("slug", "given_name", "family_name")
        .annotate(appointment_ids=ArrayAgg("appointments", default=[]))
    )
    release_type = ContentType.objects.get_for_model(Release)
    tagged_public = TaggedItem.objects.filter(tag=OuterRef("pk"), content_type=release_type).filter(
        Exists(public.filter(pk=OuterRef("object_id")))
    )
    tags = Tag.objects.filter(Exists(tagged_public))
    meetings = (
        Meeting.objects.public()
        .on_site(site)
        .filter(Exists(public.filter(meeting=OuterRef("pk"))))
        .only("slug", "title", "starts_at")
        .order_by("-starts_at")
    )
    people = list(people.order_by("family_name", "given_name"))
    organisations, tags, meetings = list(organisations), list(tags), list(meetings)
    return {
        "organisation": sorted(((o.slug, o.name) for o in organisations), key=lambda c: c[1].casefold()),
        "person": [(p.slug, p.full_name) for p in people],
        "person_appointments": {p.slug: p.appointment_ids for p in people},
        "organisation_ids": {o.slug: o.pk for o in organisations},
        "person_ids": {p.slug: p.pk for p in people},
        "tag_ids": {t.slug: t.pk for t in tags},
        "meeting_ids": {m.slug: m.pk for m in meetings},
        "tag": sorted(((t.slug, t.name) for t in tags), key=lambda choice: choice[1].casefold()),
        "meeting": [(m.slug, m.title) for m in meetings],
    }


def filter_releases(queryset: QuerySet[Release], filters: dict, site=None) -> QuerySet[Release]:
    """Apply validated filters (``ReleaseFilterForm.cleaned_data`` or fixed page filters), validated
    against ``site``'s choices; the queryset is already limited to what the site carries."""
    resolved = resolve_filters(filters, site)
    return queryset.none() if resolved is None else filter_resolved(queryset, resolved)


def resolve_filters(filters: dict, site=None) -> dict | None:
    """The filters as the query uses them: organisations and people by id, from the filter choices the
    values were validated against (a slug they do not hold has no public release: None, nothing
    matches), dates as the instants that bound them. Empty filters are left out."""
    # Organisations through the releases' own organisation_ids, a test PostgreSQL makes before reading
    # a search's text; people by appointment ids, so the planner sees from its statistics that a
    # minister is named in thousands of releases.
    from django.contrib.contenttypes.models import ContentType

    resolved = {name: filters[name] for name in ("kind", "tag", "meeting") if filters.get(name)}
    if "tag" in resolved:  # a value of the database, asked of Django's cache of content types
        resolved["release_type_id"] = ContentType.objects.get_for_model(Release).pk
    choices = filter_choices(site) if filters.get("organisation") or filters.get("person") else {}
    if filters.get("organisation"):
        resolved["organisation_id"] = choices["organisation_ids"].get(filters["organisation"])
        if not resolved["organisation_id"]:
            return None
    if filters.get("person"):
        resolved["appointment_ids"] = sorted(set(choices["person_appointments"].get(filters["person"], [])))
        if not resolved["appointment_ids"]:
            return None
    if filters.get("date_from"):
        resolved["start"] = local_day_bounds(filters["date_from"])[0]
    if filters.get("date_to"):
        resolved["end"] = local_day_bounds(filters["date_to"])[1]
    return resolved


def filter_resolved(queryset: QuerySet[Release], resolved: dict) -> QuerySet[Release]:
    """Apply :func:`resolve_filters`' filters."""
    from django.db.models import Exists, OuterRef

    from core.models import TaggedItem

    if "kind" in resolved:
        queryset = queryset.filter(kind=resolved["kind"])
    if "organisation_id" in resolved:
        queryset = queryset.filter(organisation_ids__contains=[resolved["organisation_id"]])
    if "appointment_ids" in resolved:
        mentioned = Release.appointments.through.objects.filter(
            release=OuterRef("pk"), appointment__in=resolved["appointment_ids"]
        )
        queryset = queryset.filter(Exists(mentioned))
    if "tag" in resolved:
        tagged = TaggedItem.objects.filter(
            content_type_id=resolved["release_type_id"], object_id=OuterRef("pk"), tag__slug=resolved["tag"]
        )
        queryset = queryset.filter(Exists(tagged))
    if "meeting" in resolved:
        queryset = queryset.filter(meeting__slug=resolved["meeting"])
    if "start" in resolved:
        queryset = queryset.filter(publish_at__gte=resolved["start"])
    if "end" in resolved:
        queryset = queryset.filter(publish_at__lt=resolved["end"])
    return queryset


class ReleasePage:
    """One page of a public list, without a COUNT query.

    Date-ordered lists use keyset pagination: "older" links carry ``before=<instant>.<id>`` of the last
    release shown, and the next page is ``WHERE (publish_at, id) < (instant, id) ORDER BY publish_at
    DESC, id DESC LIMIT 21`` on the ``release_publish_id_idx`` index, as fast on page 5,000 as on page
    1. Ranked search results cannot be walked that way and use ``page`` (an offset, capped at
    ``MAX_PAGE``). A ``page`` on a date-ordered list is accepted too, for bookmarks.
    """

    def __init__(self, items, *, number=None, next_params=None, previous_params=None):
        self.items = items
        self.number = number
        self.next_params = next_params
        self.previous_params = previous_params

    @property
    def has_other_pages(self):
        return bool(self.next_params or self.previous_params)


#: Releases per page of the public lists.
PER_PAGE = 20


def paginate(
    queryset: QuerySet[Release], form_data: dict, *, per_page: int = PER_PAGE, ranked: bool = False
) -> ReleasePage:
    """Return a :class:`ReleasePage`; raise ``Http404`` for a page past the end."""
    position = page_position(form_data, ranked=ranked)
    rows = list(page_rows_query(queryset, position, per_page=per_page, ranked=ranked))
    return release_page(rows, position, per_page=per_page, ranked=ranked)


@dataclass(frozen=True)
class PagePosition:
    """Where a page starts: a page ``number`` (an offset), or ``before``/``after`` a release of a
    date-ordered list (its instant and id: keyset pagination)."""

    number: int | None = None
    before: tuple[datetime, int] | None = None
    after: tuple[datetime, int] | None = None


def page_position(form_data: dict, *, ranked: bool = False) -> PagePosition:
    from releases.filters import decode_cursor

    before, after, number = form_data.get("before"), form_data.get("after"), form_data.get("page")
    if ranked or number or not (before or after):
        return PagePosition(number=number or 1)
    if before:
        return PagePosition(before=decode_cursor(before))
    return PagePosition(after=decode_cursor(after))


def page_rows_query(
    queryset: QuerySet[Release], position: PagePosition, *, per_page: int = PER_PAGE, ranked: bool = False
) -> QuerySet[Release]:
    """The rows of the page at ``position``, and one more (is there another page?)."""
    if position.number:
        ordering = ["-rank", "-publish_at", "-id"] if ranked else ["-publish_at", "-id"]
        offset = (position.number - 1) * per_page
        return queryset.order_by(*ordering)[offset : offset + per_page + 1]
    if position.before:
        stamp, pk = position.before
        # publish_at <= t bounds the index range scan; the OR only settles ties at t.
        older = Q(publish_at__lte=stamp) & (Q(publish_at__lt=stamp) | Q(id__lt=pk))
        return queryset.filter(older).order_by("-publish_at", "-id")[: per_page + 1]
    stamp, pk = position.after
    newer = Q(publish_at__gte=stamp) & (Q(publish_at__gt=stamp) | Q(id__gt=pk))
    return queryset.filter(newer).order_by("publish_at", "id")[: per_page + 1]


# The public lists' rows (date-ordered, ids and dates only), compiled once per process for each shape
# of list (which filters, how many people's appointments and site organisations, which page): building
# the query with the ORM took a third of a filtered list's time. Stand-ins mark the request's values.
_LIST_STAND_INS = {
    "now": datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    "kind": "\x00stand-in-kind",
    "tag": "\x00stand-in-tag",
    "meeting": "\x00stand-in-meeting",
    "organisation_id": -9_200_001,
    "release_type_id": -9_600_001,
    "start": datetime(1901, 3, 1, 1, 2, 3, 456789, tzinfo=UTC),
    "end": datetime(1901, 3, 2, 1, 2, 3, 456789, tzinfo=UTC),
    "cursor": (datetime(1901, 3, 3, 1, 2, 3, 456789, tzinfo=UTC), -9_400_001),
}


def public_list_page(filters: dict, form_data: dict, site=None, *, per_page: int = PER_PAGE) -> ReleasePage:
    """``paginate(light_rows(filter_releases(Release.objects.public().on_site(site), filters, site)), form_data)``,
    its SQL compiled once per shape of list (a test checks both answer alike)."""
    resolved = resolve_filters(filters, site)
    position = page_position(form_data)
    rows = [] if resolved is None else public_list_rows(resolved, site, position, per_page=per_page)
    return release_page(rows, position, per_page=per_page)


def public_list_rows(
    resolved: dict, site=None, position: PagePosition = PagePosition(number=1), *, per_page: int = PER_PAGE
) -> list[Release]:
    """The rows (ids and dates) of the public list on ``site`` narrowed by ``resolved`` filters
    (:func:`resolve_filters`'), at ``position``: ``per_page`` and one more, by a query compiled once
    per shape of list."""
    organisation_ids = site_organisation_ids(site)
    shape = (
        tuple(sorted((name, len(value) if isinstance(value, list) else 0) for name, value in resolved.items())),
        len(organisation_ids),
        position.number,
        position.before is not None,
        per_page,
    )
    compiled = _compiled_list_rows(Release.objects.db, shape)
    return compiled.instances(_list_values(timezone.now(), resolved, organisation_ids, position))


@lru_cache(maxsize=256)
def _compiled_list_rows(alias: str, shape: tuple) -> CompiledQuery:
    names, organisations, number, before, per_page = shape
    resolved = {
        name: [-9_300_001 - n for n in range(count)] if name == "appointment_ids" else _LIST_STAND_INS[name]
        for name, count in names
    }
    organisation_ids = [-9_500_001 - n for n in range(organisations)]
    if number:
        position = PagePosition(number=number)
    elif before:
        position = PagePosition(before=_LIST_STAND_INS["cursor"])
    else:
        position = PagePosition(after=_LIST_STAND_INS["cursor"])
    now = _LIST_STAND_INS["now"]
    public = Release.objects.public(at=now).on_site(SiteStandIn(organisation_ids)).using(alias)
    queryset = page_rows_query(light_rows(filter_resolved(public, resolved)), position, per_page=per_page)
    return compile_queryset(queryset, _list_values(now, resolved, organisation_ids, position))


def _list_values(now: datetime, resolved: dict, organisation_ids: list[int], position: PagePosition) -> dict:
    """The values of a list's query by name: the stand-ins' when compiling, the request's when running."""
    values = {"now": now, **{name: value for name, value in resolved.items() if not isinstance(value, list)}}
    values.update(numbered("appointment", resolved.get("appointment_ids", ())))
    values.update(numbered("organisation", organisation_ids))
    cursor = position.before or position.after
    if cursor:
        values["cursor-stamp"], values["cursor-id"] = cursor
    return values


def release_page(rows: list, position: PagePosition, *, per_page: int = PER_PAGE, ranked: bool = False) -> ReleasePage:
    """The page of ``rows`` (:func:`page_rows_query`'s) and its links; ``Http404`` for a page past the end."""
    from django.http import Http404

    from releases.filters import encode_cursor

    number = position.number
    if number:
        if not rows and number > 1:
            raise Http404("No such page")
        items = rows[:per_page]
        has_next = len(rows) > per_page
        if ranked or number > 1:
            return ReleasePage(
                items,
                number=number,
                next_params={"page": number + 1} if has_next else None,
                previous_params={"page": number - 1} if number > 1 else None,
            )
        return ReleasePage(items, next_params={"before": encode_cursor(items[-1])} if has_next else None)
    if not rows:
        raise Http404("No such page")
    if position.before:
        items = rows[:per_page]
        return ReleasePage(
            items,
            next_params={"before": encode_cursor(items[-1])} if len(rows) > per_page else None,
            previous_params={"after": encode_cursor(items[0])},
        )
    items = list(reversed(rows[:per_page]))
    return ReleasePage(
        items,
        next_params={"before": encode_cursor(items[-1])},
        previous_params={"after": encode_cursor(items[0])} if len(rows) > per_page else None,
    )


def release_urls(release: Release, *, all_languages: bool = False) -> dict[str, str]:
    """The address of ``release`` in each language it is translated into (for hreflang).

    With ``all_languages``, also under the other prefixes, where it shows in its original language
    (for the language switcher).
    """
    from django.utils import translation

    urls = {}
    for code in settings.LANGUAGE_CODES if all_languages else release.translated_languages:
        with translation.override(code):
            urls[code] = release.get_absolute_url()
    return urls


def attach_headlines(releases: list, text: str, language: str) -> None:
    """Set ``headline`` on each release shown, in the language its reader gets (one query).

    ``ts_headline`` runs on these rows only (annotating the ranked queryset would let PostgreSQL
    compute it for every candidate it sorts), and only in the languages they are shown in.
    """
    if not releases:
        return
    shown_in: dict[str, list[int]] = {}
    for release in releases:
        shown_in.setdefault(release.content_language(language), []).append(release.pk)
    headline = Case(
        *(When(pk__in=pks, then=headline_of(code, text)) for code, pks in shown_in.items()),
        default=Value(""),
        output_field=TextField(),
    )
    found = dict(
        Release.objects.public()
        .filter(pk__in=[release.pk for release in releases])
        .annotate(headline=headline)
        .values_list("pk", "headline")
    )
    for release in releases:
        release.headline = found.get(release.pk, "")


# --- Search results: ranked ids and snippets kept per query ----------------------------------------


def _query_key(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


#: The filters that narrow a list (the others, ``page``, ``before``, ``after``, only move through it).
NARROWING = ("kind", "organisation", "person", "tag", "meeting", "date_from", "date_to")


def ranked_ids(queryset: QuerySet[Release], text: str, filters: dict, site=None) -> list[int]:
    """The ids of the releases of ``queryset`` (public, narrowed by ``filters``) matching ``text``, best
    first (at most ``search.MAX_RANKED``), kept per query and filters in the page cache's store.

    Finding and ranking the matches is the search's costly query (5-17 ms at 100,000 releases with a
    common word); a repeated search reads its ids instead. They are kept under the tags the search page
    itself carries: the list it narrows (``list:releases`` without filters, which any release published,
    unpublished or moved purges), ``list:search`` (any correction of a text) and the filter choices',
    and never past the next publication boundary. The releases shown are still selected through
    ``public()`` by id on every request.
    """
    from core import pagecache
    from releases.cache_tags import choices_tags, list_tags, search_tags
    from releases.search import search_releases

    narrowing = sorted((name, str(value)) for name, value in filters.items() if value and name in NARROWING)

    def build() -> list[int]:
        pagecache.add_tags(*list_tags(filters, filter_choices(site), site), *search_tags(site), *choices_tags(site))
        ranked = search_releases(queryset, text).order_by("-rank", "-publish_at", "-id")
        return list(ranked.values_list("pk", flat=True))

    return pagecache.cached_fragment(f"search-ranked:{_query_key(text, narrowing)}", build)


def search_page(
    queryset: QuerySet[Release], text: str, filters: dict, form_data: dict, language: str, site=None
) -> ReleasePage:
    """One page of search results, each release with its ``snippet`` (rendered, in the language the
    reader gets it in), from the kept ranked ids (:func:`ranked_ids`).

    The snippets are kept per release, language and query (``release:<id>``: an edit of the release
    builds them again); those not kept are worked out by the database in the same query as the page's
    releases, which are selected through ``public()`` by id on every request.
    """
    from django.http import Http404

    from core import pagecache
    from releases.search import render_headline

    ids = ranked_ids(queryset, text, filters, site)
    number = form_data.get("page") or 1
    offset = (number - 1) * PER_PAGE
    shown = ids[offset : offset + PER_PAGE]
    if not shown and number > 1:
        raise Http404("No such page")
    rows = with_list_relations(Release.objects.public(), issuers=False).filter(pk__in=shown)
    found: dict[int, Release] = {}

    def fetch(missing: list[int]) -> None:
        headline = reader_headline([shown[index] for index in missing], text, language)
        found.update((release.pk, release) for release in rows.annotate(headline=headline))

    def snippet(index: int) -> str | None:
        pk = shown[index]
        pagecache.add_tags(f"release:{pk}")
        release = found.get(pk)
        return str(render_headline(release.headline)) if release is not None else None

    key = _query_key(text)
    names = [f"search-snippet:{pk}:{language}:{key}" for pk in shown]
    snippets = dict(zip(shown, pagecache.cached_fragments(names, snippet, prepare=fetch), strict=True))
    if not found:
        found.update((release.pk, release) for release in rows)
    items = []
    for pk in shown:
        release = found.get(pk)
        if release is not None:  # no longer public: left out
            release.snippet = mark_safe(snippets[pk] or "")  # noqa: S308 - rendered by render_headline, which escapes
            items.append(release)
    has_next = len(ids) > offset + PER_PAGE
    return ReleasePage(
        items,
        number=number,
        next_params={"page": number + 1} if has_next else None,
        previous_params={"page": number - 1} if number > 1 else None,
    )


def reader_headline(pks: list[int], text: str, language: str) -> Case:
    """:func:`attach_headlines` as an expression for the releases ``pks`` (empty for the others): the
    snippet in ``language`` if the release has a title in it, else in its original language."""
    chosen = Q(pk__in=pks)
    return Case(
        When(chosen & Q(**{f"title_{language}__gt": ""}), then=headline_of(language, text)),
        *(When(chosen & Q(original_language=code), then=headline_of(code, text)) for code in CONFIGURATIONS),
        default=Value(""),
        output_field=TextField(),
    )
