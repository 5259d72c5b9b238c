"""schema.org JSON-LD and Open Graph data for public pages, built from objects already fetched.

Nothing here queries the database beyond what the page prefetched (``issuers``, ``gallery.items``,
``photo.renditions``, ``appointments``).
"""

from __future__ import annotations

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from media.links import rendition_path

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def render(data: dict) -> str:
    """``<script type="application/ld+json">`` content, safe inside HTML."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=None).translate(_ESCAPES))  # noqa: S308


def rendition_url(request, photo, max_width: int = 1280) -> str:
    """The absolute URL of the largest JPEG rendition up to ``max_width`` (prefetched renditions)."""
    renditions = sorted(photo.renditions.all(), key=lambda r: r.width)
    jpegs = [r for r in renditions if r.format == "jpeg" and r.width <= max_width] or renditions
    if not jpegs:
        return ""
    return request.build_absolute_uri(rendition_path(jpegs[-1]))


def image_object(request, photo, position: int | None = None) -> dict:
    data = {
        "@type": "ImageObject",
        "contentUrl": rendition_url(request, photo),
        "caption": photo.caption or "",
        "description": photo.alt_text or "",
        "creditText": photo.credit,
        "copyrightNotice": photo.copyright_notice or photo.credit,
        "width": photo.width,
        "height": photo.height,
    }
    if photo.creator:
        data["creator"] = {"@type": "Person", "name": photo.creator}
    if position:
        data["position"] = position
    return data


def organisation(request, org) -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": org.name,
        "url": request.build_absolute_uri(org.get_absolute_url()),
    }


def news_article(request, release, issuers) -> str:
    language = release.content_language()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.localized("title")[:110],
        "inLanguage": language,
        "url": request.build_absolute_uri(release.get_absolute_url()),
        "datePublished": (release.first_published_at or release.publish_at).isoformat(),
        "dateModified": release.last_public_update.isoformat(),
        "publisher": organisation(request, issuers[0]) if issuers else None,
        "author": [organisation(request, org) for org in issuers],
        "articleSection": release.get_kind_display(),
        "keywords": [tag.name for tag in release.tags.all()],
        "about": [
            {"@type": "Person", "name": a.person.full_name, "jobTitle": a.role.title}
            for a in release.appointments.all()
        ],
    }
    if release.localized("lead"):
        data["description"] = release.localized("lead")
    else:
        data["description"] = strip_tags(release.localized("body"))[:300]
    if release.gallery:
        data["image"] = [
            image_object(request, item.photo, position) for position, item in enumerate(release.gallery.items.all(), 1)
        ]
    return render(data)


def image_gallery(request, gallery, items) -> str:
    return render(
        {
            "@context": "https://schema.org",
            "@type": "ImageGallery",
            "name": gallery.title,
            "url": request.build_absolute_uri(gallery.get_absolute_url()),
            "image": [image_object(request, item.photo, position) for position, item in enumerate(items, 1)],
        }
    )


def event(request, meeting, participations) -> str:
    location = {"@type": "Place", "name": meeting.venue or meeting.city or ""}
    address = {"@type": "PostalAddress"}
    if meeting.city:
        address["addressLocality"] = meeting.city
    if meeting.country:
        address["addressCountry"] = meeting.country
    location["address"] = address
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "inLanguage": get_language(),
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
        "startDate": meeting.starts_at.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "performer": [
            {"@type": "Person", "name": p.appointment.person.full_name, "jobTitle": p.appointment.role.title}
            for p in participations
        ],
    }
    if meeting.ends_at:
        data["endDate"] = meeting.ends_at.isoformat()
    if meeting.description:
        data["description"] = meeting.description
    if meeting.host:
        data["organizer"] = organisation(request, meeting.host)
    return render(data)


def person(request, person_, appointments) -> str:
    """A Person whose ``affiliation`` entries are schema.org ``Role``s with their dates."""
    roles = []
    for appointment in appointments:
        role = {
            "@type": "Role",
            "roleName": appointment.role.title,
            "startDate": appointment.started_on.isoformat(),
            "memberOf": organisation(request, appointment.role.organisation),
        }
        if appointment.ended_on:
            role["endDate"] = appointment.ended_on.isoformat()
        roles.append(role)
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person_.full_name,
        "givenName": person_.given_name,
        "familyName": person_.family_name,
        "url": request.build_absolute_uri(person_.get_absolute_url()),
        "memberOf": roles,
    }
    current = [a for a in appointments if a.ended_on is None]
    if current:
        data["jobTitle"] = current[0].role.title
    return render(data)
