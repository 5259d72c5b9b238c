"""One canonical address for content several sites carry; hreflang alternates stay on each site."""

import json
import re

import pytest
from django.utils import timezone

from core.publication import Status
from sites.addresses import canonical_site, canonical_url, site_url
from tests import factories

pytestmark = pytest.mark.django_db

PORTAL, MAINT_HOST, MJUST_HOST = "gouvernement.lu", "maint.gouvernement.lu", "mjust.gouvernement.lu"


@pytest.fixture
def network(settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu"]
    settings.CANONICAL_SITE = "issuer"
    maint = factories.organisation(name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT")
    mjust = factories.organisation(name_fr="Ministère de la Justice", acronym_fr="MJUST")
    other = factories.organisation(name_fr="Office sans site", acronym_fr="OSS")
    police = factories.organisation(name_fr="Police grand-ducale", acronym_fr="POL", parent=maint)
    portal = factories.site(None, hosts=[PORTAL, f"www.{PORTAL}"], name_fr="Portail du gouvernement")
    maint_site = factories.site(maint, hosts=[MAINT_HOST], name_fr="Ministère des Affaires intérieures")
    mjust_site = factories.site(mjust, hosts=[MJUST_HOST], name_fr="Ministère de la Justice")
    return {
        "maint": maint,
        "mjust": mjust,
        "other": other,
        "police": police,
        "portal": portal,
        "maint_site": maint_site,
        "mjust_site": mjust_site,
    }


def head_links(html: str):
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    hreflang = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', html))
    return canonical, hreflang


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S)
    return json.loads(found.group(1))


def release_page(client, release, host):
    response = client.get(release.get_absolute_url(), HTTP_HOST=host)
    assert response.status_code == 200, host
    return response.content.decode()


@pytest.mark.parametrize(
    ("issuers", "canonical_host"),
    [(["maint"], MAINT_HOST), (["maint", "mjust"], MAINT_HOST), (["mjust", "maint"], MJUST_HOST), (["other"], PORTAL)],
    ids=["maint-alone", "maint-then-mjust", "mjust-then-maint", "no-site"],
)
def test_every_site_points_at_one_canonical_address_and_keeps_its_own_hreflang(
    client, network, issuers, canonical_host
):
    release = factories.release(
        organisations=[network[name] for name in issuers], title_en="In English", slug_en="in-english"
    )
    path = release.get_absolute_url()
    expected = f"http://{canonical_host}{path}"
    for host in [PORTAL, f"www.{PORTAL}", MAINT_HOST, MJUST_HOST]:
        response = client.get(path, HTTP_HOST=host)
        if response.status_code == 404:  # a site that does not carry it (the site filter)
            continue
        html = response.content.decode()
        canonical, hreflang = head_links(html)
        assert canonical == [expected], host
        assert f'<meta property="og:url" content="{expected}">' in html
        assert hreflang["fr"] == f"http://{host}{path}"
        assert hreflang["en"].startswith(f"http://{host}/en/")
        data = json_ld(html)
        assert data["url"] == expected
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": expected}


def test_with_canonical_site_portal_every_release_is_canonical_on_the_portal(client, network, settings):
    settings.CANONICAL_SITE = "portal"
    release = factories.release(organisations=[network["maint"], network["mjust"]])
    path = release.get_absolute_url()
    for host in [PORTAL, MAINT_HOST]:
        canonical, _hreflang = head_links(release_page(client, release, host))
        assert canonical == [f"http://{PORTAL}{path}"]


def test_an_issuer_without_a_site_counts_as_its_parent_then_the_next_issuer(network):
    assert canonical_site([network["police"].pk]) == network["maint_site"]
    assert canonical_site([network["other"].pk, network["mjust"].pk]) == network["mjust_site"]
    assert canonical_site([network["other"].pk]) == network["portal"]
    assert canonical_site([]) == network["portal"]


def test_the_address_keeps_the_scheme_and_port_of_the_request(rf, network):
    request = rf.get("/fr/", HTTP_HOST=f"{MJUST_HOST}:8443", secure=True)
    assert canonical_url([network["maint"].pk], "/fr/x/", request) == f"https://{MAINT_HOST}:8443/fr/x/"
    request = rf.get("/fr/", HTTP_HOST=PORTAL)
    assert site_url(network["maint_site"], "/fr/x/", request) == f"http://{MAINT_HOST}/fr/x/"


def test_without_a_request_the_address_takes_site_url_scheme_and_port(network, settings):
    settings.SITE_URL = "https://gouvernement.lu"
    assert canonical_url([network["maint"].pk], "/fr/x/") == f"https://{MAINT_HOST}/fr/x/"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert canonical_url([network["other"].pk], "/fr/x/") == f"http://{PORTAL}:8000/fr/x/"


def test_a_fresh_installation_is_canonical_on_the_request_host(client):
    release = factories.release()
    canonical, _ = head_links(release_page(client, release, "testserver"))
    assert canonical == [f"http://testserver{release.get_absolute_url()}"]


def test_pages_that_are_not_content_are_canonical_on_their_own_host(client, network):
    factories.release(organisations=[network["maint"]])
    for host in [PORTAL, MAINT_HOST]:
        for path in ["/fr/", "/fr/communiques/"]:
            canonical, _ = head_links(client.get(path, HTTP_HOST=host).content.decode())
            assert canonical == [f"http://{host}{path}"], (host, path)


def test_meetings_and_galleries_are_canonical_on_one_site_too(client, network):
    now = timezone.now()
    meeting = factories.meeting(status=Status.PUBLISHED, publish_at=now)
    gallery = factories.gallery(status=Status.PUBLISHED, publish_at=now)
    factories.release(organisations=[network["mjust"]], meeting=meeting, gallery=gallery)
    for obj in (meeting, gallery):
        for host in [PORTAL, MJUST_HOST]:
            response = client.get(obj.get_absolute_url(), HTTP_HOST=host)
            assert response.status_code == 200, (obj, host)
            html = response.content.decode()
            canonical, _ = head_links(html)
            assert canonical == [f"http://{MJUST_HOST}{obj.get_absolute_url()}"], (obj, host)
            assert json_ld(html)["url"] == canonical[0]


def test_the_api_gives_the_canonical_address(client, network):
    release = factories.release(organisations=[network["maint"], network["mjust"]])
    data = client.get(f"/api/v1/releases/{release.pk}/", HTTP_HOST=MJUST_HOST).json()
    assert data["url"] == f"http://{MAINT_HOST}{release.get_absolute_url()}"
    assert data["alternates"]["fr"] == data["url"]
    assert data["api_url"].startswith(f"http://{MJUST_HOST}/")


def test_feed_items_link_to_the_feed_own_site_with_a_host_free_guid(client, network):
    release = factories.release(organisations=[network["maint"], network["mjust"]])
    feed = client.get("/fr/communiques/flux/rss/", HTTP_HOST=MJUST_HOST)
    body = feed.content.decode()
    assert f"<link>http://{MJUST_HOST}{release.get_absolute_url()}</link>" in body
    assert f"urn:newsroom:release:{release.pk}" in body


def test_alert_emails_link_to_the_canonical_address(network, settings):
    from alerts import mail

    settings.SITE_URL = "https://gouvernement.lu"
    release = factories.release(organisations=[network["other"], network["mjust"]])
    context = mail.release_context(release, "fr")
    assert context["url"] == f"https://{MJUST_HOST}{release.get_absolute_url()}"
