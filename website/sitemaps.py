"""sitemap.xml: every public page in every language, with hreflang alternates.

Interface pages (home, lists, people, organisations, meetings, galleries, tags) exist in all four
languages. A release is listed once per language it is translated into, and its alternates name
only those real translations (a French-only release has no German entry).

Each site has its own sitemaps (:func:`sitemap_index`, :func:`sitemap_section`): a ministry's site
lists only the releases, meetings, galleries, people and organisations it carries
(``website.selectors``), at its own host.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.utils import translation

from core.publication import request_site
from media.models import Gallery
from meetings.models import Meeting
from releases.models import Release
from website.selectors import organisations_on_site, public_people


class SiteSitemap(Sitemap):
    """A sitemap of one site's pages (``site``: ``request.site``; None: everything, as the portal)."""

    def __init__(self, site=None):
        self.site = site


class ReleaseSitemap(SiteSitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        rows = (
            Release.objects.public()
            .on_site(self.site)
            .only(
                "publish_at",
                "public_updated_at",
                "first_published_at",
                "original_language",
                *[f"title_{code}" for code in settings.LANGUAGE_CODES],
                *[f"slug_{code}" for code in settings.LANGUAGE_CODES],
            )
            .order_by("-publish_at", "-id")
        )
        return [(release, code) for release in rows for code in release.translated_languages]

    def location(self, item):
        release, code = item
        with translation.override(code):
            return release.get_absolute_url()

    def lastmod(self, item):
        return item[0].last_public_update

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            release, _code = url["item"]
            url["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{self.location((release, code))}"}
                for code in release.translated_languages
            ]
        return urls


class InterfaceSitemap(SiteSitemap):
    """Pages that exist in every interface language."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(InterfaceSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "release-list", "meeting-agenda", "gallery-list", "search", "accessibility"]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(InterfaceSitemap):
    def items(self):
        return organisations_on_site(self.site).order_by("slug")


class PersonSitemap(InterfaceSitemap):
    def items(self):
        return public_people(self.site).order_by("slug")


class MeetingSitemap(InterfaceSitemap):
    def items(self):
        return Meeting.objects.public().on_site(self.site).order_by("slug")

    def lastmod(self, item):
        return item.edited_at


class GallerySitemap(InterfaceSitemap):
    def items(self):
        return Gallery.objects.public().on_site(self.site).order_by("slug")

    def lastmod(self, item):
        return item.edited_at


SITEMAPS = {
    "pages": StaticSitemap,
    "releases": ReleaseSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "meetings": MeetingSitemap,
    "galleries": GallerySitemap,
}


def site_sitemaps(request) -> dict[str, Sitemap]:
    """The sitemaps of the request's site."""
    site = request_site(request)
    return {name: sitemap(site) for name, sitemap in SITEMAPS.items()}


def sitemap_index(request, **kwargs):
    return sitemap_views.index(request, site_sitemaps(request), **kwargs)


def sitemap_section(request, section, **kwargs):
    return sitemap_views.sitemap(request, site_sitemaps(request), section=section, **kwargs)
