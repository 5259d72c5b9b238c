"""Rule 2: an embargo holds everywhere.

A release scheduled for 10:00:00 with a marker in every text field of every language, a photo (with
its renditions) in its gallery, a tag of its own and a person nothing public names. One second before
publication the whole public site is crawled, in the four languages, from every URL pattern the URL
resolver knows (parameters filled with every slug, id and date of the test data) and every link found
in the pages: the marker, the slugs, the tag, the person and the rendition files are nowhere, and their
own addresses answer 404. One second after, all of it is there.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, datetime, timedelta
from html import unescape
from itertools import product
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from core.publication import Status
from media.models import GalleryItem, PhotoPerson
from media.tasks import photo_generate_renditions
from releases.models import Release
from tests import factories

PUBLISH_AT = datetime(2025, 1, 25, 9, 0, 0, tzinfo=UTC)  # 10:00:00 in Luxembourg
MARKER = "Zq7Embargo"
LANGUAGES = settings.LANGUAGE_CODES
SKIPPED_NAMESPACES = {"admin"}
MAX_PAGES = 1500


def walk_patterns(resolver=None, prefix_names=(), language_prefixed=False):
    """Every (name, namespace path, pattern, language-prefixed) the URL configuration has."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            names = (*prefix_names, namespace) if namespace else prefix_names
            prefixed = language_prefixed or entry.pattern.__class__.__name__ == "LocalePrefixPattern"
            yield from walk_patterns(entry, names, prefixed)
        elif isinstance(entry, URLPattern):
            yield entry, ":".join((*prefix_names, entry.name)) if entry.name else None, language_prefixed


def parameter_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters) or re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))


@pytest.fixture
def site(db, media_root):
    """Public content around one embargoed release that names a new person, a new tag and new photos."""
    with time_machine.travel(PUBLISH_AT - timedelta(days=2), tick=False):
        ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
        minister = factories.appointment(factories.person(given_name="Léon", family_name="Gloden"))
        meeting = factories.meeting(status=Status.PUBLISHED, publish_at=PUBLISH_AT - timedelta(days=1))
        public_photo = factories.photo(caption_fr="Photo publique", alt_text_fr="Photo publique")
        photo_generate_renditions(photo=public_photo)
        public_gallery = factories.gallery(
            [public_photo], status=Status.PUBLISHED, publish_at=PUBLISH_AT - timedelta(days=1)
        )
        public = factories.release(
            status=Status.PUBLISHED,
            publish_at=PUBLISH_AT - timedelta(days=1),
            organisations=[ministry],
            title_fr="Communiqué déjà public",
            title_de="Bereits öffentliche Mitteilung",
            slug_de="bereits-offentlich",
            meeting=meeting,
            gallery=public_gallery,
        )
        public.appointments.add(minister)
        public.tags.add("migration")

        newcomer = factories.person(given_name="Ottilie", family_name=f"Nouvelle{MARKER}", slug="ottilie-nouvelle")
        role = factories.role(ministry, title_fr=f"déléguée {MARKER}")
        newcomer_appointment = factories.appointment(newcomer, role)
        photo = factories.photo(
            **{f"caption_{code}": f"Légende {MARKER} {code}" for code in LANGUAGES},
            **{f"alt_text_{code}": f"Alt {MARKER} {code}" for code in LANGUAGES},
        )
        photo_generate_renditions(photo=photo)
        PhotoPerson.objects.create(photo=photo, appointment=newcomer_appointment, position=1)
        gallery = factories.gallery(
            [photo],
            slug="galerie-zq7embargo",
            status=Status.SCHEDULED,
            publish_at=PUBLISH_AT,
            **{f"title_{code}": f"Galerie {MARKER} {code}" for code in LANGUAGES},
            **{f"description_{code}": f"Description {MARKER} {code}" for code in LANGUAGES},
        )
        embargoed = factories.release(
            status=Status.SCHEDULED,
            publish_at=PUBLISH_AT,
            organisations=[ministry],
            meeting=meeting,
            gallery=gallery,
            slug_fr="zq7embargo-fr",
            **{f"title_{code}": f"Titre {MARKER} {code}" for code in LANGUAGES},
            **{f"slug_{code}": f"zq7embargo-{code}" for code in LANGUAGES if code != "fr"},
            **{f"lead_{code}": f"Chapeau {MARKER} {code}" for code in LANGUAGES},
            **{f"body_{code}": f"<p>Texte {MARKER} {code}</p>" for code in LANGUAGES},
            **{f"withdrawal_note_{code}": f"Note {MARKER} {code}" for code in LANGUAGES},
        )
        embargoed.first_published_at = PUBLISH_AT
        embargoed.save()
        embargoed.appointments.add(newcomer_appointment, minister)
        embargoed.tags.add(f"Theme {MARKER}")
    rendition_urls = [
        reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")})
        for rendition in photo.renditions.all()
    ]
    assert rendition_urls
    return {
        "release": embargoed,
        "person": newcomer,
        "gallery": gallery,
        "photo": photo,
        "tag": embargoed.tags.get(),
        "meeting": meeting,
        "ministry": ministry,
        "rendition_urls": rendition_urls,
        "public": public,
        "gallery_item": GalleryItem.objects.get(gallery=gallery),
    }


#: Every marked text field starts with one of these words, so a search page echoing "?q=<marker>" back
#: to its reader is told apart from a leaked field.
MARKED_PHRASES = [
    f"{word} {MARKER}"
    for word in ("Titre", "Chapeau", "Texte", "Note", "Légende", "Alt", "Galerie", "Description", "déléguée", "Theme")
] + [f"Nouvelle{MARKER}"]


def secrets_of(site) -> list[str]:
    release = site["release"]
    secrets = list(MARKED_PHRASES)
    secrets += [getattr(release, f"slug_{code}") for code in LANGUAGES]
    secrets += [site["person"].slug, site["gallery"].slug, site["tag"].slug]
    secrets += [url.split("/renditions/", 1)[-1] for url in site["rendition_urls"]]  # token folder and file
    secrets += [site["photo"].image.name.rsplit("/", 1)[-1]]
    return secrets


def direct_urls(site) -> list[str]:
    """The embargoed things' own addresses, in every language."""
    urls = list(site["rendition_urls"])
    release = site["release"]
    day = PUBLISH_AT.astimezone(release.publish_at.tzinfo)
    for code in LANGUAGES:
        with translation.override(code):
            urls.append(Release.objects.get(pk=release.pk).get_absolute_url())
            urls.append(reverse("person-detail", kwargs={"slug": site["person"].slug}))
            urls.append(reverse("tag-detail", kwargs={"slug": site["tag"].slug}))
            urls.append(reverse("gallery-detail", kwargs={"slug": site["gallery"].slug}))
    assert day  # the dated address comes from the release itself
    return urls


def candidate_values(site) -> dict[str, list]:
    release, public = site["release"], site["public"]
    local = release.publish_at.astimezone(__import__("zoneinfo").ZoneInfo(settings.TIME_ZONE))
    slugs = {getattr(release, f"slug_{code}") for code in LANGUAGES}
    slugs |= {site["person"].slug, site["gallery"].slug, site["tag"].slug, site["meeting"].slug}
    slugs |= {site["ministry"].slug, public.slug_fr, "migration"}
    ids = [release.pk, site["gallery"].pk, site["photo"].pk, site["person"].pk, site["tag"].pk, public.pk]
    return {
        "slug": sorted(slugs),
        "pk": ids,
        "id": ids,
        "year": [local.year],
        "month": [local.month],
        "day": [local.day],
        "name": [url.split("/renditions/", 1)[-1] for url in site["rendition_urls"]],
        "path": [url.split("/renditions/", 1)[-1] for url in site["rendition_urls"]],
        "token": ["not-a-real-token"],
    }


def values_by_converter(values: dict[str, list], converter) -> list:
    """For a parameter name the test does not know, values that fit its converter."""
    kind = type(converter).__name__ if converter is not None else ""
    return {
        "IntConverter": [*values["pk"], 1, 2],
        "SlugConverter": values["slug"],
        "StringConverter": values["slug"],
        "PathConverter": values["path"],
        "UUIDConverter": [],
        "YearConverter": values["year"],
        "TwoDigitConverter": sorted({*values["month"], *values["day"]}),
    }.get(kind, [])


def seed_urls(site) -> tuple[list[str], set[str]]:
    """URLs from every pattern of the resolver; the set of pattern names that could not be filled."""
    values = candidate_values(site)
    urls, unfilled = [], set()
    for pattern, name, prefixed in walk_patterns():
        if name is None or name == "set_language":
            continue
        params = parameter_names(pattern)
        converters = pattern.pattern.converters
        choices = [values.get(param) or values_by_converter(values, converters.get(param)) for param in params]
        if any(not choice for choice in choices):
            unfilled.add(name)
            continue
        for code in LANGUAGES if prefixed else [settings.LANGUAGE_CODE]:
            with translation.override(code):
                for combination in product(*choices):
                    try:
                        url = reverse(name, kwargs=dict(zip(params, combination, strict=True)))
                    except NoReverseMatch:
                        continue
                    urls.append(url)
                    if not params:
                        urls.append(f"{url}?q={MARKER}")
    return urls, unfilled


LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)|srcset=["']([^"']+)""")


def links(html: str) -> list[str]:
    found = []
    for href, srcset in LINK.findall(html):
        if href:
            found.append(unescape(href))
        if srcset:
            found += [part.strip().split(" ")[0] for part in unescape(srcset).split(",") if part.strip()]
    return [url for url in found if url.startswith("/") and not url.startswith("//")]


def without_echo(url: str, body: str) -> str:
    """A page may repeat the address it was asked for (language switcher): that is not a leak."""
    path = url.split("?", 1)[0]
    tail = re.sub(r"^/(?:" + "|".join(LANGUAGES) + r")/", "/", path)
    return body.replace(tail, "/") if tail.strip("/") else body


def crawl(client, seeds) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(seeds)
    admin_prefix = "/" + settings.ADMIN_PATH
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(admin_prefix) or url.startswith("/static/"):
            continue
        response = client.get(url)
        body = ""
        content_type = response.get("Content-Type", "")
        if not response.streaming and any(kind in content_type for kind in ("text", "xml", "json", "calendar")):
            body = response.content.decode(errors="replace")
        seen[url] = (response.status_code, body)
        if response.status_code in (301, 302) and response.get("Location"):
            location = urlsplit(response["Location"])
            queue.append(location.path + (f"?{location.query}" if location.query else ""))
        queue.extend(links(body))
    return seen


@pytest.mark.django_db
def test_embargo_holds_on_every_public_url_until_the_second_of_publication(site, client):
    """Nothing of the embargoed release leaks one second before 10:00:00; all of it is there one second after."""
    secrets = secrets_of(site)
    with time_machine.travel(PUBLISH_AT - timedelta(seconds=1), tick=False):
        seeds, unfilled = seed_urls(site)
        assert not unfilled, f"URL patterns the crawl cannot fill: {unfilled}"
        pages = crawl(client, [*seeds, *direct_urls(site)])
        assert len(pages) < MAX_PAGES
        assert sum(1 for status, _body in pages.values() if status == 200) >= 10
        for url, (status, body) in pages.items():
            assert status < 500, url
            lowered = without_echo(url, unescape(body)).lower()
            checks = secrets if "?q=" in url else [*secrets, MARKER]
            for secret in checks:
                assert secret.lower() not in lowered, f"{secret!r} leaks on {url}"
        for url in direct_urls(site):
            assert client.get(url).status_code == 404, url
        public_release = client.get(site["public"].get_absolute_url())
        assert public_release.status_code == 200

    with time_machine.travel(PUBLISH_AT + timedelta(seconds=1), tick=False):
        for url in direct_urls(site):
            response = client.get(url)
            assert response.status_code == 200, url
            if not response.streaming:
                assert MARKER.lower() in unescape(response.content.decode()).lower() or "ottilie" in url, url
        for code in LANGUAGES:
            with translation.override(code):
                page = client.get(Release.objects.get(pk=site["release"].pk).get_absolute_url())
                assert f"Titre {MARKER} {code}" in page.content.decode()
                assert f"Texte {MARKER} {code}" in page.content.decode()
                assert site["rendition_urls"][0] in page.content.decode() or any(
                    url in page.content.decode() for url in site["rendition_urls"]
                )
        with translation.override("fr"):
            assert MARKER in client.get(site["ministry"].get_absolute_url()).content.decode()
            assert MARKER in client.get(site["meeting"].get_absolute_url()).content.decode()
            assert MARKER in client.get(reverse("release-list")).content.decode()
            assert f"Nouvelle{MARKER}" in client.get(site["person"].get_absolute_url()).content.decode()
