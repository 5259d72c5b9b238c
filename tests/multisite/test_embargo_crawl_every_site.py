"""Rule 2 on every site: the embargo crawl of tests/publication/test_embargo_crawl.py, at each site's host.

The embargoed release is issued by MAINT and co-issued by MJUST; FOO has a site too and issues
something else. One second before 10:00:00 nothing of it is on any site (every page, feed, sitemap and
API answer reached from every URL pattern and every link). One second after, it is on the portal,
MAINT's and MJUST's sites (page in every language, lists, feeds, sitemap, API, its person, tag and
gallery) and still nowhere on FOO's site, which is crawled again: not in its pages, feeds, sitemaps
or API, its addresses 404 there.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from releases.models import Release, ReleaseOrganisation
from sites.directory import directory
from tests import factories
from tests.publication.test_embargo_crawl import (
    LANGUAGES,
    MARKER,
    MAX_PAGES,
    PUBLISH_AT,
    crawl,
    direct_urls,
    secrets_of,
    seed_urls,
    site,  # noqa: F401 (the embargoed content, a fixture)
    without_echo,
)

HOSTS = {
    "portal": "gouvernement.lu",
    "maint": "maint.gouvernement.lu",
    "mjust": "mjust.gouvernement.lu",
    "foo": "foo.gouvernement.lu",
}
CARRYING = ("portal", "maint", "mjust")


@pytest.fixture
def network(site, settings):  # noqa: F811
    settings.ALLOWED_HOSTS = [".gouvernement.lu"]
    with time_machine.travel(PUBLISH_AT - timedelta(days=2), tick=False):
        mjust = factories.organisation(slug="mjust", name_fr="Ministère de la Justice")
        foo = factories.organisation(slug="foo", name_fr="Ministère Foo")
        ReleaseOrganisation.objects.create(release=site["release"], organisation=mjust, position=2)
        factories.release(organisations=[foo], publish_at=PUBLISH_AT - timedelta(days=1), title_fr="Communiqué de Foo")
        factories.site(None, hosts=[HOSTS["portal"]], name_fr="Portail")
        factories.site(site["ministry"], hosts=[HOSTS["maint"]])
        factories.site(mjust, hosts=[HOSTS["mjust"]])
        factories.site(foo, hosts=[HOSTS["foo"]])
    directory()
    return site


def assert_nothing_leaks(pages: dict, secrets: list[str], host: str) -> None:
    assert len(pages) < MAX_PAGES
    assert sum(1 for status, _body in pages.values() if status == 200) >= 10, host
    for url, (status, body) in pages.items():
        assert status < 500, (host, url)
        lowered = without_echo(url, unescape(body)).lower()
        checks = secrets if "?q=" in url else [*secrets, MARKER]
        for secret in checks:
            assert secret.lower() not in lowered, f"{secret!r} leaks on {host}{url}"


def release_urls(release: Release) -> list[str]:
    urls = []
    for code in LANGUAGES:
        with translation.override(code):
            urls.append(Release.objects.get(pk=release.pk).get_absolute_url())
    return urls


@pytest.mark.django_db
def test_embargo_holds_on_every_site_and_the_release_appears_only_on_its_issuers_sites(network):
    secrets = secrets_of(network)
    clients = {name: Client(HTTP_HOST=host) for name, host in HOSTS.items()}
    pages_only = [url for url in direct_urls(network) if url not in network["rendition_urls"]]

    with time_machine.travel(PUBLISH_AT - timedelta(seconds=1), tick=False):
        seeds, unfilled = seed_urls(network)
        assert not unfilled, f"URL patterns the crawl cannot fill: {unfilled}"
        for name, client in clients.items():
            assert_nothing_leaks(crawl(client, [*seeds, *direct_urls(network)]), secrets, HOSTS[name])
            for url in direct_urls(network):
                assert client.get(url).status_code == 404, (name, url)

    with time_machine.travel(PUBLISH_AT + timedelta(seconds=1), tick=False):
        release = network["release"]
        for name in CARRYING:
            client = clients[name]
            for url in pages_only:
                assert client.get(url).status_code == 200, (name, url)
            for code, url in zip(LANGUAGES, release_urls(release), strict=True):
                assert f"Titre {MARKER} {code}" in client.get(url).content.decode(), (name, url)
            for url in (
                "/fr/communiques/",
                "/fr/communiques/flux/rss/",
                "/fr/communiques/flux/atom/",
                f"/fr/organisations/{network['ministry'].slug}/flux/rss/",
                "/api/v1/releases/",
                f"/fr/communiques/?q={MARKER}",
            ):
                assert MARKER in client.get(url).content.decode(), (name, url)
            assert "zq7embargo-fr" in client.get("/sitemap-releases.xml").content.decode(), name

        # On FOO's site, still nothing: its own addresses answer 404, and a new crawl finds nothing.
        foo = clients["foo"]
        for url in pages_only:
            assert foo.get(url).status_code == 404, url
        for url in ("/fr/communiques/flux/rss/", "/fr/communiques/flux/atom/", "/api/v1/releases/", "/sitemap.xml"):
            assert MARKER not in foo.get(url).content.decode(), url
        seeds, _unfilled = seed_urls(network)
        assert_nothing_leaks(crawl(foo, [*seeds, *pages_only]), secrets, HOSTS["foo"])
