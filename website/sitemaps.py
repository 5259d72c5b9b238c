"""sitemap.xml: every public page in every language, with hreflang alternates.

Interface pages (home, lists, people, organisations, meetings, galleries, tags) exist in all four
languages. A release is listed once per language it is translated into, and its alternates name
only those real translations (a French-only release has no German entry).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from media.models import Gallery
from meetings.models import Meeting
from people.models import Organisation
from releases.models import Release
from website.selectors import public_people


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        rows = (
            Release.objects.public()
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


class InterfaceSitemap(Sitemap):
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
        return Organisation.objects.order_by("slug")


class PersonSitemap(InterfaceSitemap):
    def items(self):
        return public_people().order_by("slug")


class MeetingSitemap(InterfaceSitemap):
    def items(self):
        return Meeting.objects.public().order_by("slug")

    def lastmod(self, item):
        return item.edited_at


class GallerySitemap(InterfaceSitemap):
    def items(self):
        return Gallery.objects.public().order_by("slug")

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
