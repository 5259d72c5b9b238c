"""Small builders for test data. Each returns saved objects with sensible defaults."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from core.publication import Status
from media.models import Gallery, GalleryItem, Photo
from meetings.models import Meeting
from people.models import Appointment, Organisation, Person, Role
from releases.models import Release, ReleaseOrganisation
from sites.models import Site, SiteHost

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def organisation(**fields) -> Organisation:
    slug = fields.pop("slug", unique("org"))
    fields.setdefault("name_fr", f"Ministère {slug}")
    return Organisation.objects.create(slug=slug, **fields)


def person(**fields) -> Person:
    slug = fields.pop("slug", unique("person"))
    fields.setdefault("given_name", "Marie")
    fields.setdefault("family_name", slug.title())
    return Person.objects.create(slug=slug, **fields)


def role(organisation_=None, **fields) -> Role:
    fields.setdefault("title_fr", unique("ministre"))
    return Role.objects.create(organisation=organisation_ or organisation(), **fields)


def appointment(person_=None, role_=None, started_on=date(2020, 1, 1), ended_on=None) -> Appointment:
    return Appointment.objects.create(
        person=person_ or person(), role=role_ or role(), started_on=started_on, ended_on=ended_on
    )


def release(*, status=Status.PUBLISHED, publish_at=None, organisations=(), **fields) -> Release:
    slug = fields.pop("slug_fr", unique("communique"))
    fields.setdefault("title_fr", f"Titre {slug}")
    if publish_at is None and status in (Status.PUBLISHED, Status.SCHEDULED, Status.WITHDRAWN):
        publish_at = timezone.now() - timedelta(hours=1)
    if status in (Status.PUBLISHED, Status.SCHEDULED, Status.WITHDRAWN):
        fields.setdefault("first_published_at", publish_at)
    obj = Release.objects.create(slug_fr=slug, status=status, publish_at=publish_at, **fields)
    for position, org in enumerate(organisations or [organisation()], start=1):
        ReleaseOrganisation.objects.create(release=obj, organisation=org, position=position)
    return obj


def meeting(**fields) -> Meeting:
    slug = fields.pop("slug", unique("meeting"))
    fields.setdefault("title_fr", f"Réunion {slug}")
    fields.setdefault("starts_at", timezone.make_aware(datetime(2024, 1, 25, 9, 0)))
    return Meeting.objects.create(slug=slug, **fields)


def jpeg_bytes(width=800, height=600, colour=(30, 90, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def photo(**fields) -> Photo:
    data = fields.pop("data", None) or jpeg_bytes()
    fields.setdefault("credit", "©MAINT")
    obj = Photo(**fields)
    with Image.open(io.BytesIO(data)) as image:
        obj.width, obj.height = image.size
    obj.image.save("photo.jpg", ContentFile(data), save=False)
    obj.save()
    return obj


def gallery(photos=(), **fields) -> Gallery:
    slug = fields.pop("slug", unique("gallery"))
    fields.setdefault("title_fr", f"Galerie {slug}")
    obj = Gallery.objects.create(slug=slug, **fields)
    for position, item in enumerate(photos, start=1):
        GalleryItem.objects.create(gallery=obj, photo=item, position=position)
    return obj


def user(username=None, *, superuser=False, staff=True, password="correct horse battery staple", **fields):
    User = get_user_model()
    username = username or unique("user")
    if superuser:
        return User.objects.create_superuser(username=username, password=password, email=f"{username}@example.org")
    return User.objects.create_user(username=username, password=password, is_staff=staff, **fields)


def site(organisation_=None, hosts=(), **fields) -> Site:
    """A site for ``organisation_`` (None: the portal) answering at ``hosts`` (default: one made-up host)."""
    n = next(_counter)
    name = getattr(organisation_, "name", None) or f"Portail {n}"
    fields.setdefault("name_fr", name)
    fields.setdefault("short_name_fr", getattr(organisation_, "acronym", "") or f"S{n}")
    made = Site.objects.create(organisation=organisation_, **fields)
    for position, host in enumerate(hosts or [f"site{n}.example.lu"], start=1):
        SiteHost.objects.create(site=made, host=host, position=position)
    return made
