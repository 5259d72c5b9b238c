"""Feeds, sitemap, robots.txt, JSON API, iCalendar, Open Graph and JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from core.publication import Status
from meetings import ics
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def embargoed(demo):
    return factories.release(
        title_fr="Sous embargo", status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1)
    )


@pytest.mark.parametrize(
    "path",
    [
        "/fr/communiques/flux/rss/",
        "/fr/communiques/flux/rss/?organisation=maint&tag=asile",
        "/fr/organisations/maint/flux/rss/",
        "/fr/personnes/leon-gloden/flux/rss/",
        "/fr/themes/asile/flux/rss/",
        "/fr/communiques/type/communique/flux/rss/",
    ],
)
def test_rss_feeds(client, demo, embargoed, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [demo.title_fr]
    assert items[0].findtext("link").startswith("http://testserver/fr/communiques/2024/01/25/")
    assert items[0].findtext("pubDate") == "Thu, 25 Jan 2024 16:30:00 +0000"


@pytest.mark.parametrize(
    "path",
    ["/en/communiques/flux/atom/", "/en/organisations/maint/flux/atom/", "/en/themes/asile/flux/atom/"],
)
def test_atom_feeds_use_the_stamps_and_the_reader_language(client, demo, embargoed, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").startswith("Léon Gloden at the informal meeting")
    assert entry.findtext(f"{ATOM}published") == "2024-01-25T16:30:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2024-01-25T16:30:00+00:00"
    assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/en/")


def test_feed_with_an_unknown_filter_is_404(client, demo):
    assert client.get("/fr/communiques/flux/rss/?organisation=nope").status_code == 404


def test_pages_link_their_feeds(client, demo):
    for path, feed in [
        ("/fr/organisations/maint/", "/fr/organisations/maint/flux/rss/"),
        ("/fr/personnes/leon-gloden/", "/fr/personnes/leon-gloden/flux/rss/"),
        ("/fr/themes/asile/", "/fr/themes/asile/flux/rss/"),
    ]:
        html = client.get(path).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html and feed in html


def test_sitemap_lists_real_translations_with_alternates(client, demo, embargoed):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    response = client.get("/sitemap-releases.xml")
    xml = response.content.decode()
    assert "Sous embargo" not in xml
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = root.findall("s:url", ns)
    locations = sorted(url.findtext("s:loc", namespaces=ns) for url in urls)
    assert locations == [
        "http://testserver/en/communiques/2024/01/25/leon-gloden-informal-jha-council/",
        "http://testserver/fr/communiques/2024/01/25/leon-gloden-a-la-reunion-informelle-du-conseil-jai/",
    ]
    for url in urls:
        assert url.findtext("s:lastmod", namespaces=ns) == "2024-01-25"
        assert sorted(link.get("hreflang") for link in url.findall("x:link", ns)) == ["en", "fr"]
    pages = client.get("/sitemap-people.xml").content.decode()
    assert "/lb/personnes/leon-gloden/" in pages and 'hreflang="de"' in pages


def test_robots_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_release_page_has_open_graph_and_news_article(client, demo):
    html = client.get(demo.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/media-files/renditions/' in html
    assert f'<link rel="canonical" href="http://testserver{demo.get_absolute_url()}">' in html
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2024-01-25T16:30:00+00:00"
    assert data["dateModified"] == "2024-01-25T16:30:00+00:00"
    assert data["publisher"]["name"] == "Ministère des Affaires intérieures"
    image = data["image"][1]
    assert image["@type"] == "ImageObject"
    assert image["creditText"] == "©MAINT"
    assert image["copyrightNotice"]
    assert "Léon Gloden, ministre des Affaires intérieures" in image["caption"]


def test_meeting_event_and_person_role(client, demo):
    event = json_ld(client.get("/fr/reunions/reunion-informelle-jai-2024-01/").content.decode())
    assert event["@type"] == "Event" and event["startDate"] == "2024-01-24T08:00:00+00:00"
    person = json_ld(client.get("/fr/personnes/gerald-darmanin/").content.decode())
    assert person["@type"] == "Person"
    roles = {role["roleName"]: role for role in person["memberOf"]}
    assert roles["ministre de l'Intérieur"]["@type"] == "Role"
    assert roles["ministre de l'Intérieur"]["endDate"] == "2024-09-21"


def test_api_release_list_detail_and_languages(client, demo, embargoed):
    data = client.get("/api/v1/releases/").json()
    assert [item["title"] for item in data["results"]] == [demo.title_fr]
    data = client.get("/api/v1/releases/", {"lang": "de"}).json()
    assert data["results"][0]["language"] == "fr"  # not translated into German: the original
    data = client.get("/api/v1/releases/", {"lang": "en"}).json()
    assert data["results"][0]["language"] == "en"
    detail = client.get(f"/api/v1/releases/{demo.pk}/").json()
    assert detail["translations"] == ["fr", "en"]
    assert [photo["credit"] for photo in detail["photos"]] == ["©MAINT"] * 3
    assert client.get(f"/api/v1/releases/{embargoed.pk}/").status_code == 404
    assert client.get("/api/v1/releases/", {"organisation": "nope"}).status_code == 400
    assert client.get("/api/v1/releases/", {"lang": "xx"}).status_code == 400
    assert client.get("/api/v1/releases/", {"q": "temporaire"}).json()["results"][0]["snippet_html"]


def test_api_other_endpoints(client, demo):
    people = client.get("/api/v1/people/").json()["results"]
    assert "leon-gloden" in [person["slug"] for person in people]
    assert client.get("/api/v1/organisations/").json()["results"]
    meetings = client.get("/api/v1/meetings/").json()["results"]
    assert meetings[0]["slug"] == "reunion-informelle-jai-2024-01"
    meeting = client.get("/api/v1/meetings/reunion-informelle-jai-2024-01/").json()
    assert len(meeting["participants"]) == 5
    assert client.get("/api/v1/people/", {"page": "-1"}).status_code == 400
    assert client.get("/api/v1/people/", {"page": "999"}).status_code == 404


def test_api_etag_and_not_modified(client, demo):
    response = client.get("/api/v1/releases/")
    etag = response["ETag"]
    assert etag
    again = client.get("/api/v1/releases/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get("/api/v1/releases/", {"lang": "en"}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= {"/releases/", "/releases/{id}/", "/people/", "/organisations/", "/meetings/"}


def test_ics_agenda_and_meeting(client, demo):
    response = client.get("/fr/reunions/agenda.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20240124T080000Z" in unfolded
    assert "SUMMARY:Réunion informelle des ministres de la Justice et des Affaires intérieures" in unfolded
    assert "LOCATION:Palais d'Egmont\\, Bruxelles\\, BE" in unfolded
    one = client.get("/en/reunions/reunion-informelle-jai-2024-01.ics").content.decode().replace("\r\n ", "")
    assert "SUMMARY:Informal meeting of Justice and Home Affairs ministers" in one


def test_ics_escaping_and_folding():
    assert ics.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = ics.fold("DESCRIPTION:" + "é" * 100)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100
