"""Put every XSS payload into every text field a press officer can fill, on public objects.

Payload ``n`` goes into the n-th set of objects: an organisation, a person in a role, a tag, a photo
(with renditions), a gallery, a meeting and a release (published or withdrawn, with a major change
note) that ties them together. ``pages(n)`` lists the public pages that show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import override

from core.models import Tag
from core.publication import Status
from media.models import GalleryItem
from media.tasks import photo_generate_renditions
from meetings.models import Participation
from people.models import Appointment
from releases.models import ReleaseUpdate
from tests import factories
from tests.security.xss_payloads import PAYLOADS

LANGUAGES = ("fr", "de", "en", "lb")


def each_language(field: str, value: str, limit: int | None = None) -> dict:
    return {f"{field}_{language}": value[:limit] if limit else value for language in LANGUAGES}


@dataclass
class Planted:
    number: int
    release: object
    person: object
    organisation: object
    meeting: object
    gallery: object
    tag: object


def plant(number: int, payload: str) -> Planted:
    published = timezone.now() - timedelta(days=1, minutes=number)
    organisation = factories.organisation(
        slug=f"xss-org-{number}",
        website=f"javascript:__xss({number})",
        **each_language("name", payload, 255),
        **each_language("acronym", payload, 30),
        **each_language("byline_name", payload, 255),
    )
    person = factories.person(
        slug=f"xss-person-{number}",
        given_name=payload[:100],
        family_name=payload[:100],
        **each_language("biography", payload),
    )
    role = factories.role(organisation, **each_language("title", payload, 255))
    appointment = Appointment.objects.create(person=person, role=role, started_on=date(2020, 1, 1))
    tag = Tag.objects.create(slug=f"xss-tag-{number}", name=f"{payload[:90]} {number}")
    for language in LANGUAGES:
        setattr(tag, f"name_{language}", f"{payload[:90]} {number}")
    tag.save()
    photo = factories.photo(
        data=factories.jpeg_bytes(320, 240, (number * 3 % 255, 80, 120)),
        credit=payload[:200],
        **each_language("caption", payload),
        **each_language("alt_text", payload),
    )
    photo_generate_renditions(photo=photo)
    gallery = factories.gallery(
        slug=f"xss-gallery-{number}",
        status=Status.PUBLISHED,
        publish_at=published,
        first_published_at=published,
        **each_language("title", payload, 255),
        **each_language("description", payload),
    )
    GalleryItem.objects.create(gallery=gallery, photo=photo, position=1)
    gallery.tags.set([tag])
    meeting = factories.meeting(
        slug=f"xss-meeting-{number}",
        status=Status.PUBLISHED,
        publish_at=published,
        first_published_at=published,
        host=organisation,
        external_url=f"javascript:__xss({number})",
        **each_language("title", payload, 255),
        **each_language("configuration", payload, 255),
        **each_language("venue", payload, 255),
        **each_language("city", payload, 255),
        **each_language("description", payload),
    )
    Participation.objects.create(meeting=meeting, appointment=appointment, position=1)
    meeting.tags.set([tag])
    release = factories.release(
        status=Status.WITHDRAWN if number % 2 else Status.PUBLISHED,
        publish_at=published,
        organisations=[organisation],
        slug_fr=f"xss-{number}",
        meeting=meeting,
        gallery=gallery,
        **{f"slug_{language}": f"xss-{number}-{language}" for language in LANGUAGES[1:]},
        **each_language("title", payload, 300),
        **each_language("lead", payload),
        **each_language("body", payload),
        **each_language("withdrawal_note", payload),
    )
    release.appointments.set([appointment])
    release.tags.set([tag])
    ReleaseUpdate.objects.create(release=release, major=True, **each_language("note", payload))
    return Planted(number, release, person, organisation, meeting, gallery, tag)


def plant_all() -> list[Planted]:
    return [plant(number, payload) for number, payload in enumerate(PAYLOADS, start=1)]


def pages(planted: Planted) -> list[str]:
    """The public pages rendering payload ``planted.number``: the release in each language, then the rest."""
    urls = []
    for language in LANGUAGES:
        with override(language):
            urls.append(planted.release.get_absolute_url())
    with override("fr"):
        urls += [
            planted.person.get_absolute_url(),
            planted.organisation.get_absolute_url(),
            planted.meeting.get_absolute_url(),
            planted.gallery.get_absolute_url(),
            planted.tag.get_absolute_url(),
        ]
    return urls
