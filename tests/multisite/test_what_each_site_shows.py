"""What each site shows: the portal everything, a ministry's site what its organisation (or one under it)
issues or takes part in, on every public surface; anything else answers 404 there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from releases.models import Release, ReleaseSlugHistory
from tests.multisite.conftest import CARRIED_GALLERIES, CARRIED_MEETINGS, CARRIED_RELEASES, HOSTS

pytestmark = pytest.mark.django_db

SITES = list(HOSTS)
RELEASES = sorted(CARRIED_RELEASES["portal"])


def get(client, site, url, **params):
    return client.get(url, params, HTTP_HOST=HOSTS[site])


def text(response) -> str:
    assert response.status_code == 200, response
    return response.content.decode()


def releases_in(body: str) -> set[str]:
    """Which of the network's releases a page, feed, sitemap or API answer names (title or address)."""
    return {name for name in RELEASES if f"Kwz{name}" in body or f"communique-{name}/" in body}


# --- releases ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/fr/", {}),
        ("/fr/communiques/", {}),
        ("/fr/communiques/", {"kind": "communique"}),
        ("/fr/communiques/", {"date_from": "2000-01-01", "date_to": "2100-01-01"}),
        ("/fr/recherche/", {"q": "ornithorynque"}),
        ("/fr/communiques/", {"q": "ornithorynque"}),
        ("/fr/communiques/flux/rss/", {}),
        ("/fr/communiques/flux/atom/", {}),
        ("/fr/communiques/type/communique/flux/rss/", {}),
        ("/sitemap-releases.xml", {}),
        ("/api/v1/releases/", {}),
        ("/api/v1/releases/", {"q": "ornithorynque"}),
    ],
)
def test_lists_searches_feeds_sitemaps_and_the_api_hold_what_the_site_carries(client, network, site, url, params):
    assert releases_in(text(get(client, site, url, **params))) == CARRIED_RELEASES[site]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", RELEASES)
def test_a_release_page_answers_only_on_the_sites_that_carry_it(client, network, site, name):
    release = Release.objects.get(pk=network.releases[name].pk)
    status = 200 if name in CARRIED_RELEASES[site] else 404
    for code in ("fr", "de", "en"):
        with translation.override(code):
            url = release.get_absolute_url()
        response = get(client, site, url)
        assert response.status_code == status, (site, url)
        if status == 404:
            assert f"Kwz{name}" not in response.content.decode()
    api = get(client, site, reverse("api-release", kwargs={"pk": release.pk}))
    assert api.status_code == status


@pytest.mark.parametrize("site", SITES)
def test_an_old_address_redirects_only_on_the_sites_that_carry_the_release(client, network, site):
    for name in ("alone", "neither"):
        release = network.releases[name]
        old = release.get_absolute_url().replace(f"communique-{name}", f"ancien-{name}")
        ReleaseSlugHistory.objects.create(release=release, language="fr", path=old)
        response = get(client, site, old)
        if name in CARRIED_RELEASES[site]:
            assert response.status_code == 301 and response["Location"] == release.get_absolute_url()
        else:
            assert response.status_code == 404


def test_a_joint_release_is_on_both_issuers_sites_and_the_portal(client, network):
    url = network.releases["joint"].get_absolute_url()
    assert [get(client, site, url).status_code for site in SITES] == [200, 200, 200]


def test_a_sub_organisations_release_is_on_its_ministrys_site(client, network):
    url = network.releases["sub"].get_absolute_url()
    assert [get(client, site, url).status_code for site in SITES] == [200, 200, 404]
    assert "Kwzsub" in text(get(client, "maint", "/fr/communiques/", organisation="police"))


# --- filters: the choices come from the site's own releases -----------------------------------------


def test_the_filters_offer_only_what_the_sites_releases_name(client, network):
    """Organisations and tags are offered as options; people and meetings are typed, and checked
    against the same choices (a name the site's releases do not hold is refused)."""
    maint = text(get(client, "maint", "/fr/communiques/"))
    mjust = text(get(client, "mjust", "/fr/communiques/"))
    portal = text(get(client, "portal", "/fr/communiques/"))
    for option in ('value="maint"', 'value="mjust"', 'value="police"', 'value="theme-alone"', 'value="theme-sub"'):
        assert option in maint, option
    for option in ('value="foo"', 'value="theme-neither"'):
        assert option not in maint and option not in mjust and option in portal, option
    for option in ('value="police"', 'value="theme-alone"'):
        assert option not in mjust, option
    assert get(client, "mjust", "/fr/communiques/", meeting="reunion-about").status_code == 200
    assert get(client, "maint", "/fr/communiques/", meeting="reunion-about").status_code == 400
    assert get(client, "maint", "/fr/communiques/", person="personne-sub").status_code == 200
    assert get(client, "mjust", "/fr/communiques/", person="personne-sub").status_code == 400


@pytest.mark.parametrize("params", [{"organisation": "foo"}, {"tag": "theme-neither"}, {"person": "personne-neither"}])
def test_a_filter_on_something_the_site_does_not_carry_is_refused(client, network, params):
    assert get(client, "maint", "/fr/communiques/", **params).status_code == 400
    assert get(client, "maint", "/api/v1/releases/", **params).status_code == 400
    assert get(client, "maint", "/fr/communiques/flux/rss/", **params).status_code == 404
    assert get(client, "portal", "/fr/communiques/", **params).status_code == 200


def test_a_filter_on_a_co_issuer_lists_only_the_sites_releases(client, network):
    assert releases_in(text(get(client, "maint", "/fr/communiques/", organisation="mjust"))) == {"joint"}
    assert releases_in(text(get(client, "portal", "/fr/communiques/", organisation="mjust"))) == {"joint", "about"}


# --- tags, people, organisations --------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", RELEASES)
def test_a_tag_page_and_feed_exist_only_where_the_tag_is_used(client, network, site, name):
    if name == "about":
        return
    status = 200 if name in CARRIED_RELEASES[site] else 404
    assert get(client, site, f"/fr/themes/theme-{name}/").status_code == status
    assert get(client, site, f"/fr/themes/theme-{name}/flux/rss/").status_code == status


@pytest.mark.parametrize(
    ("site", "person", "status"),
    [
        ("portal", "neither", 200),
        ("maint", "neither", 404),  # named only by FOO's release, no role in MAINT
        ("mjust", "alone", 404),
        ("maint", "alone", 200),
        ("mjust", "joint", 200),  # named by the joint release, though their role is MAINT's
        ("maint", "sub", 200),
        ("maint", "minister", 200),  # a role in MAINT: MAINT's site shows them, with none of FOO's releases
        ("mjust", "minister", 404),
    ],
)
def test_a_person_page_exists_on_a_site_that_names_them_or_where_they_hold_a_role(
    client, network, site, person, status
):
    slug = network.people[person].slug
    response = get(client, site, f"/fr/personnes/{slug}/")
    assert response.status_code == status
    assert get(client, site, f"/fr/personnes/{slug}/flux/atom/").status_code == status
    if status == 200:
        shown = releases_in(response.content.decode())
        assert shown <= CARRIED_RELEASES[site]
    sitemap = text(get(client, site, "/sitemap-people.xml"))
    assert (f"/personnes/{slug}/" in sitemap) == (status == 200)
    api = json.loads(text(get(client, site, "/api/v1/people/")))
    assert (slug in {row["slug"] for row in api["results"]}) == (status == 200)


def test_a_ministrys_own_person_lists_only_the_sites_releases(client, network):
    page = text(get(client, "maint", "/fr/personnes/ministre-maint/"))
    assert "Kwzneither" not in page
    assert "Kwzneither" in text(get(client, "portal", "/fr/personnes/ministre-maint/"))


@pytest.mark.parametrize(
    ("site", "organisation", "status"),
    [
        ("portal", "foo", 200),
        ("maint", "foo", 404),  # nothing of FOO on MAINT's site
        ("maint", "police", 200),  # under MAINT
        ("maint", "mjust", 200),  # co-issuer of a release MAINT's site carries
        ("mjust", "maint", 200),
        ("mjust", "police", 404),
        ("mjust", "foo", 200),  # host of a meeting MJUST's site carries
    ],
)
def test_an_organisation_page_exists_on_a_site_of_its_tree_or_that_carries_something_of_it(
    client, network, site, organisation, status
):
    response = get(client, site, f"/fr/organisations/{organisation}/")
    assert response.status_code == status
    assert get(client, site, f"/fr/organisations/{organisation}/flux/rss/").status_code == status
    if status == 200:
        assert releases_in(response.content.decode()) <= CARRIED_RELEASES[site]
    sitemap = text(get(client, site, "/sitemap-organisations.xml"))
    assert (f"/organisations/{organisation}/" in sitemap) == (status == 200)
    api = json.loads(text(get(client, site, "/api/v1/organisations/")))
    assert (organisation in {row["slug"] for row in api["results"]}) == (status == 200)


def test_a_co_issuers_page_on_a_ministrys_site_lists_only_the_joint_releases(client, network):
    for url in ("/fr/organisations/mjust/", "/fr/organisations/mjust/flux/rss/"):
        assert releases_in(text(get(client, "maint", url))) == {"joint"}
        assert releases_in(text(get(client, "portal", url))) == {"joint", "about"}


def test_people_search_finds_only_the_sites_people(client, network):
    assert "ZorglubNeither" in text(get(client, "portal", "/fr/recherche/", q="Zorglubneither"))
    assert "ZorglubNeither" not in text(get(client, "maint", "/fr/recherche/", q="Zorglubneither"))
    assert "ZorglubAlone" in text(get(client, "maint", "/fr/recherche/", q="Zorglubalone"))


# --- meetings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_the_agenda_ical_sitemap_and_api_hold_the_sites_meetings(client, network, site):
    expected = {f"reunion-{name}" for name in CARRIED_MEETINGS[site]}
    everything = {meeting.slug for meeting in network.meetings.values()}
    for url in ("/fr/reunions/", "/fr/reunions/agenda.ics", "/sitemap-meetings.xml", "/api/v1/meetings/"):
        body = text(get(client, site, url))
        assert {slug for slug in everything if slug in body} == expected, url
    home = text(get(client, site, "/fr/"))  # the three most recent
    assert {slug for slug in everything if f"/reunions/{slug}/" in home} <= expected
    for slug in everything:
        status = 200 if slug in expected else 404
        assert get(client, site, f"/fr/reunions/{slug}/").status_code == status, slug
        assert get(client, site, f"/fr/reunions/{slug}.ics").status_code == status, slug
        assert get(client, site, f"/api/v1/meetings/{slug}/").status_code == status, slug


def test_a_meeting_page_lists_only_the_sites_releases(client, network):
    meeting = network.meetings["hosted"]
    network.releases["alone"].meeting = meeting
    network.releases["alone"].save()
    network.releases["neither"].meeting = meeting
    network.releases["neither"].save()
    assert releases_in(text(get(client, "maint", meeting.get_absolute_url()))) == {"alone"}
    assert releases_in(text(get(client, "portal", meeting.get_absolute_url()))) == {"alone", "neither"}
    api = json.loads(text(get(client, "maint", f"/api/v1/meetings/{meeting.slug}/")))
    assert api["releases"] == [f"http://{HOSTS['maint']}/api/v1/releases/{network.releases['alone'].pk}/"]
    # FOO's release brings the meeting to FOO's organisation, not to MJUST's site.
    assert get(client, "mjust", meeting.get_absolute_url()).status_code == 404


# --- galleries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_the_gallery_list_pages_and_sitemap_hold_the_sites_galleries(client, network, site):
    expected = {f"galerie-{name}" for name in CARRIED_GALLERIES[site]}
    everything = {gallery.slug for gallery in network.galleries.values()}
    for url in ("/fr/galeries/", "/sitemap-galleries.xml"):
        body = text(get(client, site, url))
        assert {slug for slug in everything if f"/galeries/{slug}/" in body} == expected, url
    for slug in everything:
        status = 200 if slug in expected else 404
        assert get(client, site, f"/fr/galeries/{slug}/").status_code == status, slug


def test_the_sitemap_index_names_the_sites_own_host(client, network):
    for site, host in HOSTS.items():
        body = text(get(client, site, "/sitemap.xml"))
        assert f"http://{host}/sitemap-releases.xml" in body
        assert f"Sitemap: http://{host}/sitemap.xml" in text(get(client, site, "/robots.txt"))


def test_the_home_page_lists_only_ministries_with_a_page_on_the_site(client, network):
    def ministries_on(site):
        page = text(get(client, site, "/fr/"))
        section = page.split('id="ministries-heading"', 1)[1].split("</section>", 1)[0]
        return {slug for slug in ("maint", "mjust", "foo", "police") if f"/organisations/{slug}/" in section}

    assert ministries_on("portal") == {"maint", "mjust", "foo", "police"}
    assert ministries_on("maint") == {"maint", "mjust", "police"}
    assert ministries_on("mjust") == {"maint", "mjust", "foo"}  # FOO hosts a meeting MJUST's site carries
    for site in SITES:
        for slug in ministries_on(site):
            assert get(client, site, f"/fr/organisations/{slug}/").status_code == 200, (site, slug)


def test_a_person_page_links_only_to_organisations_with_a_page_on_the_site(client, network, settings):
    """A person of MAINT named by MJUST's release: on MJUST's site their role's organisation is a link
    while MAINT has a page there (as co-issuer of the joint release), plain text once it has none
    (the page cache is off; the profile kept rendered for the site is built again)."""
    settings.PAGE_CACHE_ENABLED = False
    person = network.people["alone"]
    network.releases["about"].appointments.add(person.appointments.get())
    assert 'href="/fr/organisations/maint/"' in text(get(client, "mjust", person.get_absolute_url()))
    network.releases["joint"].issuers.get(organisation=network.organisations["maint"]).delete()
    page = text(get(client, "mjust", person.get_absolute_url()))
    assert 'href="/fr/organisations/maint/"' not in page and "Ministère des Affaires intérieures" in page
    assert get(client, "mjust", "/fr/organisations/maint/").status_code == 404
    assert 'href="/fr/organisations/maint/"' in text(get(client, "portal", person.get_absolute_url()))
