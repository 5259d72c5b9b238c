"""RSS 2.0 and Atom feeds of public releases, for every list and filter.

``ReleaseFeed`` takes the release list's own query-string filters (``?organisation=maint&tag=asile``),
so every filtered list has its feed; the organisation, person, tag and kind feeds are small
subclasses fixing one filter from the URL. Entry dates come from the stamps: ``pubDate``/``published``
is the first publication, ``updated`` the last major update.
"""

from __future__ import annotations

import contextvars
import io
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from core import pagecache
from core.publication import request_site
from releases.cache_tags import list_tags
from releases.filters import ReleaseFilterForm
from releases.models import Release
from releases.selectors import filter_choices, public_list_page, with_list_relations
from website.selectors import organisations_on_site, public_people, public_tags

FEED_LENGTH = 30


class KeptEntries:
    """A feed generator whose entries may be given as XML already written (``{"xml": ...}``)."""

    def item_xml(self, item) -> str:
        """One entry's XML, as ``write_items`` writes it."""
        out = io.StringIO()
        handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
        handler.startElement(self.entry_element, self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement(self.entry_element)
        return out.getvalue()

    def write_items(self, handler):
        for item in self.items:
            if "xml" in item:
                handler.ignorableWhitespace(item["xml"])  # written as it is: already escaped XML
            else:
                super().write_items(handler)
                return


class RssFeed(KeptEntries, Rss201rev2Feed):
    entry_element = "item"


class AtomFeed(KeptEntries, Atom1Feed):
    entry_element = "entry"


#: The releases whose entries are being built (see ReleaseFeed.get_feed), else None.
_building: contextvars.ContextVar[list | None] = contextvars.ContextVar("feed_building", default=None)


class ReleaseFeed(Feed):
    """All public releases the request's site carries, narrowed by the list's query-string filters.

    ``get_object`` returns a small dict (filters, title, link, site), so one feed instance serves every
    request.
    """

    feed_type = RssFeed

    def get_object(self, request, *args, **kwargs):
        site = request_site(request)
        form = ReleaseFilterForm(request.GET or None, choices=filter_choices(site))
        if request.GET and not form.is_valid():
            raise Http404("Unknown filter")
        filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if k in form.FILTERS and v}
        link = reverse("release-list")
        if form.is_bound and form.active_filters:
            link += "?" + urlencode(form.active_filters)
        return {"filters": filters, "title": _("Communiqués du gouvernement"), "link": link, "site": site}

    def title(self, obj):
        return obj["title"]

    def link(self, obj):
        return obj["link"]

    def description(self, obj):
        return _("Les derniers communiqués publiés.")

    def items(self, obj):
        building = _building.get()
        if building is not None:  # building the entries that are not kept (see get_feed)
            return building
        site = obj["site"]
        pagecache.add_tags(*list_tags(obj["filters"], filter_choices(site), site), *obj.get("tags", ()))
        # Ids and dates only, by the lists' compiled query: only the entries not kept need more.
        return public_list_page(obj["filters"], {}, site, per_page=FEED_LENGTH).items

    def get_feed(self, obj, request):
        """The feed, each entry's XML kept per release, language, format and host in the page cache's store.

        Building an entry (its text, issuers and dates through the syndication framework's per-item
        methods, then the XML) cost most of a feed; the entries a feed shows are read at once
        (``core.pagecache.cached_fragments``) with the cache tags of what they show (``release:<id>``,
        the issuers' ``organisation:<id>``). The releases are selected through ``public()`` on every
        request; those whose entry is not kept are fetched again with their bodies and issuers, one
        query each.
        """
        releases = self.items(obj)
        language = get_language()
        site = f"{request.scheme}://{request.get_host()}"
        names = [f"feed-entry:{self.feed_type.__name__}:{release.pk}:{language}:{site}" for release in releases]
        built: dict[int, tuple] = {}
        skeleton = None

        def prepare(missing: list[int]) -> None:
            nonlocal skeleton
            pks = [releases[index].pk for index in missing]
            full = with_list_relations(Release.objects.public().on_site(obj["site"]), with_body=True).filter(pk__in=pks)
            by_pk = {release.pk: release for release in full}
            still_public = [by_pk[pk] for pk in pks if pk in by_pk]
            token = _building.set(still_public)
            try:
                skeleton = super(ReleaseFeed, self).get_feed(obj, request)
            finally:
                _building.reset(token)
            for release, item in zip(still_public, skeleton.items, strict=True):
                built[release.pk] = (release, item)

        def entry(index: int) -> tuple:
            pk = releases[index].pk
            if pk not in built:  # no longer public since the feed's releases were selected: not kept
                return None
            release, item = built[pk]
            pagecache.add_tags(
                f"release:{pk}", *(f"organisation:{issuer.organisation_id}" for issuer in release.issuers.all())
            )
            return (skeleton.item_xml(item), item.get("pubdate"), item.get("updateddate"))

        entries = pagecache.cached_fragments(names, entry, prepare=prepare)
        if skeleton is None:
            token = _building.set([])
            try:
                skeleton = super().get_feed(obj, request)
            finally:
                _building.reset(token)
        skeleton.items = [
            {"xml": xml, "pubdate": pubdate, "updateddate": updated} for xml, pubdate, updated in filter(None, entries)
        ]
        return skeleton

    def item_title(self, item):
        return item.localized("title")

    def item_description(self, item):
        return item.localized("lead") or item.localized("body")

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"urn:newsroom:release:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.publish_at

    def item_updateddate(self, item):
        return item.last_public_update

    def item_author_name(self, item):
        return ", ".join(issuer.organisation.name for issuer in item.issuers.all())

    def item_categories(self, item):
        return [item.get_kind_display()]


class AtomMixin:
    feed_type = AtomFeed

    def subtitle(self, obj):
        return self.description(obj)


def _named(request, name: str, filters: dict, link: str, tag: str | None = None) -> dict:
    """A feed fixing one filter; ``tag`` is the cache tag of what its title names."""
    title = _("Communiqués : %(name)s") % {"name": name}
    return {
        "filters": filters,
        "title": title,
        "link": link,
        "tags": [tag] if tag else [],
        "site": request_site(request),
    }


class OrganisationFeed(ReleaseFeed):
    def get_object(self, request, slug):
        organisation = get_object_or_404(organisations_on_site(request_site(request)), slug=slug)
        link = organisation.get_absolute_url()
        return _named(request, organisation.name, {"organisation": slug}, link, f"organisation:{organisation.pk}")


class PersonFeed(ReleaseFeed):
    def get_object(self, request, slug):
        person = get_object_or_404(public_people(request_site(request)), slug=slug)
        return _named(request, person.full_name, {"person": slug}, person.get_absolute_url(), f"person:{person.pk}")


class TagFeed(ReleaseFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(public_tags(site=request_site(request)), slug=slug)
        return _named(request, tag.name, {"tag": slug}, tag.get_absolute_url(), f"tag:{tag.pk}")


class KindFeed(ReleaseFeed):
    def get_object(self, request, kind):
        if kind not in Release.Kind.values:
            raise Http404("Unknown kind")
        label = Release.Kind(kind).label
        return _named(request, label, {"kind": kind}, f"{reverse('release-list')}?kind={kind}")


def feed_pair(base):
    """The RSS 2.0 and Atom views of one feed class."""
    rss = type(f"{base.__name__}Rss", (base,), {})
    atom = type(f"{base.__name__}Atom", (AtomMixin, base), {})
    return rss(), atom()
