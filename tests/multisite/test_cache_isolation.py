"""Caches follow the host: a page kept for one site is never served on another at the same path, and
fragments (the filter choices, a release's article) are kept per site."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagecache import fragment_scope
from releases.selectors import filter_choices
from tests import factories
from tests.multisite.conftest import HOSTS
from tests.multisite.test_what_each_site_shows import releases_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def get(client, site, url, **params):
    return client.get(url, params, HTTP_HOST=HOSTS[site])


def served_from_cache(client, site, url) -> tuple[bool, object]:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, site, url)
    return len(captured) == 0, response


@pytest.mark.parametrize(
    "url",
    ["/fr/communiques/", "/fr/communiques/flux/rss/", "/sitemap-releases.xml", "/api/v1/releases/", "/fr/"],
)
def test_a_list_cached_for_one_host_is_never_served_for_another(client, network, url):
    first = get(client, "maint", url)
    assert first.status_code == 200
    cached, again = served_from_cache(client, "maint", url)
    assert cached and again.content == first.content  # the page is kept...
    for site in ("mjust", "portal"):
        hit, other = served_from_cache(client, site, url)
        assert not hit, site  # ...but for its host only
        assert releases_in(other.content.decode()) != releases_in(first.content.decode()), site


def test_a_release_page_cached_on_its_site_answers_404_on_another(client, network):
    url = network.releases["alone"].get_absolute_url()
    assert get(client, "maint", url).status_code == 200
    assert served_from_cache(client, "maint", url)[0]
    response = get(client, "mjust", url)
    assert response.status_code == 404
    assert "Kwzalone" not in response.content.decode()
    joint = network.releases["joint"].get_absolute_url()
    assert get(client, "maint", joint).status_code == 200
    assert get(client, "mjust", joint).status_code == 200
    assert "Kwzjoint" in get(client, "mjust", joint).content.decode()


def test_a_404_kept_for_one_host_does_not_hide_the_page_on_another(client, network):
    url = network.releases["alone"].get_absolute_url()
    assert get(client, "mjust", url).status_code == 404
    assert get(client, "mjust", url).status_code == 404
    assert get(client, "maint", url).status_code == 200


def test_the_filter_choices_are_kept_per_site(network):
    choices = {}
    for name, site in network.sites.items():
        with fragment_scope(site.key):
            choices[name] = filter_choices(site)
            assert filter_choices(site) is choices[name]  # kept, in this process, for this site
    assert {slug for slug, _label in choices["maint"]["organisation"]} == {"maint", "mjust", "police"}
    assert {slug for slug, _label in choices["mjust"]["organisation"]} == {"maint", "mjust"}
    assert {slug for slug, _label in choices["portal"]["organisation"]} == {"maint", "mjust", "police", "foo"}
    assert set(choices["maint"]["tag_ids"]) == {"theme-alone", "theme-joint", "theme-sub"}
    assert set(choices["mjust"]["meeting_ids"]) == {"reunion-about"}
    assert choices["maint"]["meeting_ids"] == {}


def test_the_filter_form_differs_per_site_even_without_the_page_cache(client, network, settings):
    settings.PAGE_CACHE_ENABLED = False
    for _ in range(2):  # built, then read from the fragment cache
        assert 'value="police"' in get(client, "maint", "/fr/communiques/").content.decode()
        assert 'value="police"' not in get(client, "mjust", "/fr/communiques/").content.decode()
        assert 'value="foo"' in get(client, "portal", "/fr/communiques/").content.decode()


#: Pages of a ministry's site that only its own organisations' releases change (its home page too).
SITE_LISTS = [
    "/fr/",
    "/fr/communiques/",
    "/fr/communiques/?kind=communique",
    "/fr/communiques/flux/rss/",
    "/de/communiques/",
    "/fr/recherche/?q=ornithorynque",
]


def test_a_ministrys_publication_leaves_another_ministrys_lists_cached_and_shows_on_its_own_at_once(client, network):
    """MJUST publishes: MAINT's site keeps its home page, lists, feeds, filter choices and search results;
    MJUST's site and the portal show the new release on the next request. Then a MAINT directorate's
    release shows on MAINT's site at once, and a correction of MAINT's release changes what MAINT's site
    and the portal find, not MJUST's search results."""
    for site in ("maint", "mjust", "portal"):
        for url in SITE_LISTS:
            assert get(client, site, url).status_code == 200
            assert served_from_cache(client, site, url)[0], (site, url)
    published = factories.release(
        organisations=[network.organisations["mjust"]],
        slug_fr="communique-new",
        title_fr="Titre Kwznew",
        lead_fr="Chapeau ornithorynque",
    )
    for url in SITE_LISTS:
        assert served_from_cache(client, "maint", url)[0], url
    for site in ("mjust", "portal"):
        assert "Kwznew" in get(client, site, "/fr/communiques/").content.decode(), site
        assert "Kwznew" in get(client, site, "/fr/communiques/flux/rss/").content.decode(), site
        assert "Kwznew" in get(client, site, "/de/communiques/").content.decode(), site
        assert "Kwznew" in get(client, site, "/fr/recherche/", q="ornithorynque").content.decode(), site
    assert "Kwznew" not in get(client, "maint", "/fr/communiques/").content.decode()

    factories.release(organisations=[network.organisations["police"]], slug_fr="communique-police", title_fr="Kwzpol")
    for site in ("maint", "portal"):
        assert "Kwzpol" in get(client, site, "/fr/communiques/?kind=communique").content.decode(), site
        assert "Kwzpol" in get(client, site, "/fr/communiques/flux/rss/").content.decode(), site
        assert "Kwzpol" in get(client, site, "/fr/").content.decode(), site
    # A correction of MAINT's release changes what MAINT's site finds at once, and not MJUST's results.
    assert served_from_cache(client, "mjust", "/fr/recherche/?q=ornithorynque")[0]
    for site in ("maint", "portal"):
        assert "Kwzalone" in get(client, site, "/fr/recherche/", q="ornithorynque").content.decode(), site
    alone = network.releases["alone"]
    alone.lead_fr = "Chapeau Kwzalone sans animal"
    alone.save()
    for site in ("portal", "maint"):
        assert "Kwzalone" not in get(client, site, "/fr/recherche/", q="ornithorynque").content.decode(), site
    assert served_from_cache(client, "mjust", "/fr/recherche/?q=ornithorynque")[0]
    # An issuer given to a release brings it to that ministry's site at once.
    published.issuers.create(organisation=network.organisations["maint"], position=2)
    assert "Kwznew" in get(client, "maint", "/fr/communiques/").content.decode()
    assert "Kwznew" in get(client, "maint", "/fr/communiques/flux/rss/").content.decode()


def test_a_new_issuer_is_offered_by_the_filters_of_every_site_carrying_the_release(client, network):
    """FOO becomes a co-issuer of MAINT's release: MAINT's site offers FOO in its organisation filter
    on the next request (its choices were kept), MJUST's does not."""
    assert 'value="foo"' not in get(client, "maint", "/fr/communiques/").content.decode()
    assert served_from_cache(client, "maint", "/fr/communiques/")[0]
    network.releases["alone"].issuers.create(organisation=network.organisations["foo"], position=2)
    assert 'value="foo"' in get(client, "maint", "/fr/communiques/").content.decode()
    assert 'value="foo"' not in get(client, "mjust", "/fr/communiques/").content.decode()
