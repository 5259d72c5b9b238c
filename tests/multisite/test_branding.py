"""Each site's name, logo, colour, contact and footer come from its Site row; the templates are one set."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from sites.models import SiteLink
from tests import factories

pytestmark = pytest.mark.django_db

PORTAL, MAINT_HOST = "gouvernement.lu", "maint.gouvernement.lu"


@pytest.fixture
def network(settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu"]
    maint = factories.organisation(name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT")
    portal = factories.site(
        None, hosts=[PORTAL], name_fr="Portail du gouvernement", name_de="Portal der Regierung", accent_colour="#00538A"
    )
    maint_site = factories.site(
        maint,
        hosts=[MAINT_HOST],
        name_fr="Ministère des Affaires intérieures",
        name_de="Ministerium für innere Angelegenheiten",
        name_en="Ministry of Home Affairs",
        name_lb="Ministère fir bannenzeg Affairen",
        accent_colour="#7A1F3D",
        contact_fr="19-21, boulevard Royal\nL-2449 Luxembourg",
        contact_de="19-21, boulevard Royal\nL-2449 Luxemburg",
    )
    SiteLink.objects.create(
        site=maint_site,
        label_fr="Protection des données",
        label_de="Datenschutz",
        url="https://maint.gouvernement.lu/donnees.html",
    )
    return {"portal": portal, "maint": maint_site}


def image_bytes(width, height, kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (122, 31, 61)).save(buffer, kind)
    return buffer.getvalue()


def header_name(html: str) -> str:
    return re.search(r'<a class="site-name[^"]*" href="[^"]+">(?:<img[^>]*>)?([^<]+)</a>', html).group(1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Ministère des Affaires intérieures"),
        ("de", "Ministerium für innere Angelegenheiten"),
        ("en", "Ministry of Home Affairs"),
        ("lb", "Ministère fir bannenzeg Affairen"),
    ],
)
def test_a_ministry_site_reads_its_own_name_in_each_language(client, network, language, expected):
    html = client.get(f"/{language}/", HTTP_HOST=MAINT_HOST).content.decode()
    assert header_name(html) == expected
    assert "<title>" in html and f"— {expected}</title>" in html
    assert f'<meta property="og:site_name" content="{expected}">' in html
    assert f'<p class="footer-name">{expected}</p>' in html
    assert f"<h1>{expected}</h1>" in html  # the home page's heading too


def test_the_portal_reads_its_name_and_has_no_portal_link(client, network):
    fr = client.get("/fr/", HTTP_HOST=PORTAL).content.decode()
    de = client.get("/de/", HTTP_HOST=PORTAL).content.decode()
    assert header_name(fr) == "Portail du gouvernement"
    assert header_name(de) == "Portal der Regierung"
    assert 'class="portal-link"' not in fr
    assert "<h1>Newsroom du gouvernement</h1>" in fr


@pytest.mark.parametrize(("language", "label"), [("fr", "Portail du gouvernement"), ("de", "Regierungsportal")])
def test_a_ministry_site_links_to_the_portal(client, network, language, label):
    html = client.get(f"/{language}/", HTTP_HOST=f"{MAINT_HOST}:8000").content.decode()
    assert f'<a class="portal-link" href="http://{PORTAL}:8000/{language}/">{label}</a>' in html


def test_each_site_has_its_colours_stylesheet_without_inline_style(client, network):
    html = client.get("/fr/", HTTP_HOST=MAINT_HOST).content.decode()
    assert '<link rel="stylesheet" href="/site-colours.css?v=7A1F3D">' in html
    assert "<style" not in html and " style=" not in html
    css = client.get("/site-colours.css?v=7A1F3D", HTTP_HOST=MAINT_HOST)
    assert css["Content-Type"] == "text/css; charset=utf-8" and "public" in css["Cache-Control"]
    assert css.content.decode() == ":root { --accent: #7A1F3D; --accent-dark: #511428; }\n"  # each channel × 0.66
    portal = client.get("/site-colours.css?v=00538A", HTTP_HOST=PORTAL).content.decode()
    assert "--accent: #00538A;" in portal


def test_a_malformed_colour_never_reaches_the_stylesheet(client, network):
    network["maint"].accent_colour = "red;}a{"
    network["maint"].save()
    css = client.get("/site-colours.css", HTTP_HOST=MAINT_HOST).content.decode()
    assert css == ":root { --accent: #00538A; --accent-dark: #00375b; }\n"


def test_the_footer_shows_the_contact_block_and_links_in_the_reader_language(client, network):
    fr = client.get("/fr/", HTTP_HOST=MAINT_HOST).content.decode()
    de = client.get("/de/", HTTP_HOST=MAINT_HOST).content.decode()
    assert '<address class="site-contact">19-21, boulevard Royal<br>L-2449 Luxembourg</address>' in fr
    assert "L-2449 Luxemburg</address>" in de
    assert '<a href="https://maint.gouvernement.lu/donnees.html">Protection des données</a>' in fr
    assert ">Datenschutz</a>" in de
    portal = client.get("/fr/", HTTP_HOST=PORTAL).content.decode()
    assert "site-contact" not in portal and "Protection des données" not in portal


def test_the_kept_footer_and_navigation_follow_a_change_of_the_site_at_once(client, network):
    """The footer and the navigation are rendered once per site, language and address, and kept: a
    site's new contact block or footer link shows on the next page, and each address gets its own
    portal link."""
    page = client.get("/fr/communiques/", HTTP_HOST=MAINT_HOST).content.decode()
    assert "L-2449 Luxembourg" in page and 'href="/fr/communiques/">Communiqués</a>' in page
    site = network["maint"]
    site.contact_fr = "2, place de Clairefontaine\nL-1341 Luxembourg"
    site.save()
    SiteLink.objects.create(site=site, label_fr="Mentions légales", url="https://maint.gouvernement.lu/legal.html")
    page = client.get("/fr/communiques/", HTTP_HOST=MAINT_HOST).content.decode()
    footer = page.split('<footer class="site-footer">')[1]
    assert "L-1341 Luxembourg" in footer and "L-2449" not in footer
    assert ">Mentions légales</a>" in footer
    assert 'href="/de/communiques/">Pressemitteilungen</a>' in client.get("/de/", HTTP_HOST=MAINT_HOST).content.decode()
    on_port = client.get("/fr/", HTTP_HOST=f"{MAINT_HOST}:8443").content.decode().split("<footer")[1]
    assert f'href="http://{PORTAL}:8443/fr/"' in on_port


def test_the_logo_uploaded_in_the_admin_is_shown_and_served(client, network):
    site = network["maint"]
    site.logo.save("logo maint.png", ContentFile(image_bytes(96, 48)), save=True)
    html = client.get("/fr/", HTTP_HOST=MAINT_HOST).content.decode()
    found = re.search(r'<img class="site-logo" src="([^"]+)" alt="" height="48">', html)
    assert found
    response = client.get(found.group(1), HTTP_HOST=MAINT_HOST)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == site.logo.open("rb").read()
    assert "public" in response["Cache-Control"]
    assert client.get("/media-files/sites/other.png", HTTP_HOST=MAINT_HOST).status_code == 404
    assert client.get("/media-files/sites/../secret", HTTP_HOST=MAINT_HOST).status_code == 404


def test_error_pages_carry_the_site_name_without_a_query(client, network, django_assert_num_queries):
    client.get("/fr/", HTTP_HOST=MAINT_HOST)  # the sites directory is read
    with django_assert_num_queries(0):
        response = client.get("/de/gibt-es-nicht/", HTTP_HOST=MAINT_HOST)
    assert response.status_code == 404
    html = response.content.decode()
    assert header_name(html) == "Ministerium für innere Angelegenheiten"
    assert "/site-colours.css?v=7A1F3D" in html


def test_a_fresh_installation_keeps_the_newsroom_name(client):
    html = client.get("/de/").content.decode()
    assert header_name(html) == "Newsroom der Regierung"
    assert "— Newsroom der Regierung</title>" in html and "portal-link" not in html


def site_form(site, **changes):
    """The site's change form as the admin posts it (tabs per language, hosts and links inlines)."""
    data = {
        "name_fr": site.name_fr,
        "short_name_fr": site.short_name_fr,
        "organisation": site.organisation_id or "",
        "accent_colour": site.accent_colour,
        "contact_fr": site.contact_fr,
        "hosts-TOTAL_FORMS": "1",
        "hosts-INITIAL_FORMS": "1",
        "hosts-MIN_NUM_FORMS": "1",
        "hosts-MAX_NUM_FORMS": "1000",
        "hosts-0-id": site.hosts.get().pk,
        "hosts-0-site": site.pk,
        "hosts-0-host": site.hosts.get().host,
        "hosts-0-position": "1",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_logo_uploaded_through_the_admin_is_served_on_the_site(client, network):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(factories.user("central", superuser=True))
    site = network["maint"]
    url = reverse("admin:sites_site_change", args=[site.pk])
    png = SimpleUploadedFile("Logo MAINT.png", image_bytes(120, 48), content_type="image/png")
    response = client.post(url, site_form(site, logo=png), HTTP_HOST=PORTAL)
    assert response.status_code == 302, response.content.decode()[:3000]
    site.refresh_from_db()
    assert site.logo.name.startswith("sites/") and site.logo.name.endswith(".png")
    html = client.get("/fr/", HTTP_HOST=MAINT_HOST).content.decode()
    src = re.search(r'<img class="site-logo" src="([^"]+)"', html).group(1)
    served = client.get(src, HTTP_HOST=MAINT_HOST)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"

    tiff = SimpleUploadedFile("logo.tiff", image_bytes(10, 10, "TIFF"), content_type="image/tiff")
    refused = client.post(url, site_form(site, logo=tiff), HTTP_HOST=PORTAL)
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()


def test_branding_and_the_canonical_address_cost_no_query(client, network, settings):
    """The site, its hosts, links and the portal come from the sites directory: a ministry site's page
    costs what the portal's does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    release = factories.release(organisations=[network["maint"].organisation])
    counts = {}
    for host in (PORTAL, MAINT_HOST):
        for path in ("/fr/", release.get_absolute_url()):
            client.get(path, HTTP_HOST=host)  # the directory and the article are kept from the first visit
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path, HTTP_HOST=host).status_code == 200
            counts[host, path] = len(captured)
    for path in ("/fr/", release.get_absolute_url()):
        assert counts[MAINT_HOST, path] == counts[PORTAL, path], counts
