"""Walk every public page reachable from the home page in each language, with the demo content loaded.

Each HTML page answers 200 with exactly one <h1>, a lang attribute, a skip link to <main id="main-content">
and alt text on every image. Every named public URL pattern is reached by the walk (or is a non-HTML
output checked for its status), so a new page cannot hide from these checks.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "de", "en", "lb"]
NOT_HTML = re.compile(r"/flux/(rss|atom)/|\.ics$|^/api/|^/media-files/|^/sitemap|^/robots\.txt$")
#: Named patterns that are not public pages (admin, its two-factor pages and JavaScript catalogue, staff preview,
#: the language-switch POST endpoint).
NOT_PUBLIC = {
    "release-preview",
    "release-shared-preview",
    "admin-photo-original",
    "set_language",
    "two-factor-verify",
    "two-factor-enrol",
    "admin-jsi18n",
    # Reached through signed links in e-mails only (tests/alerts/).
    "alerts-confirm",
    "alerts-manage",
    "alerts-unsubscribe",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.h1, self.lang, self.skip, self.main = [], [], 0, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if attrs["href"] == "#main-content":
                self.skip = True
        if tag == "link" and attrs.get("rel") in ("alternate", "stylesheet") and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
            self.links.append(attrs.get("src") or "")
        if tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "main" and attrs.get("id") == "main-content":
            self.main = True


def local(url):
    parts = urlsplit(url)
    if parts.scheme and parts.netloc != "testserver":
        return None
    path = urldefrag(parts.path + (f"?{parts.query}" if parts.query else ""))[0]
    return path if path.startswith("/") else None


def json_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)
    elif isinstance(data, str) and data.startswith("http://testserver/"):
        yield data


def pattern_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from pattern_names(pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def walk(client):
    """Every page reachable from the four home pages (and the sitemap and API links).

    Returns the HTML pages (address -> (URL pattern name, page text)), the URL pattern names reached,
    the problems found (an address that does not resolve or does not answer 200, or a page without one
    <h1>, ``lang``, skip link or ``alt``) and the number of addresses seen.
    """
    queue = [f"/{code}/" for code in LANGUAGES] + ["/robots.txt", "/sitemap.xml", "/api/v1/openapi.json"]
    seen, reached, problems, pages = set(), set(), [], {}
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 2000:
            continue
        seen.add(url)
        path = urlsplit(url).path
        prefix = path.split("/")[1]
        try:
            with translation.override(prefix if prefix in LANGUAGES else "fr"):
                match = resolve(path)
        except Resolver404:
            problems.append(f"{url}: linked but not resolvable")
            continue
        if match.url_name in NOT_PUBLIC:
            continue
        reached.add(match.url_name)
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        content_type = response["Content-Type"]
        if "json" in content_type:
            queue += [u for u in (local(v) for v in json_strings(response.json())) if u and u not in seen]
            if url.endswith("openapi.json"):
                queue += ["/api/v1" + p for p in response.json()["paths"] if "{" not in p]
            continue
        if "xml" in content_type and "<loc>" in response.content.decode():
            queue += [u for u in (local(v) for v in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())) if u]
            continue
        if NOT_HTML.search(url) or "html" not in content_type:
            continue
        text = response.content.decode()
        pages[url] = (match.url_name, text)
        page = Links()
        page.feed(text)
        if page.h1 != 1:
            problems.append(f"{url}: {page.h1} <h1>")
        if page.lang not in LANGUAGES:
            problems.append(f"{url}: lang={page.lang}")
        if not (page.skip and page.main):
            problems.append(f"{url}: no skip link to main")
        for image in page.images:
            if "alt" not in image:
                problems.append(f"{url}: <img> without alt")
        for link in page.links:
            target = local(link)
            if target and target not in seen and not target.startswith("/static/"):
                queue.append(target)
    return pages, reached, problems, len(seen)


@pytest.fixture
def branded_portal(demo):
    """The portal as a site row on the test client's host, with a logo: its colours stylesheet and its
    logo are walked too (an installation without sites has neither)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from tests import factories

    portal = factories.site(None, hosts=["testserver"], name_fr="Le gouvernement luxembourgeois")
    logo = io.BytesIO()
    Image.new("RGB", (96, 48), (0, 83, 138)).save(logo, "PNG")
    portal.logo.save("portal.png", ContentFile(logo.getvalue()), save=True)
    return portal


def test_every_public_page(client, demo, branded_portal):
    _pages, reached, problems, seen = walk(client)
    assert not problems, "\n".join(problems)
    expected = set(pattern_names()) - NOT_PUBLIC
    assert not expected - reached, f"Public URL patterns the walk never reached: {expected - reached}"
    assert seen > 100
