"""schema.org ``NewsArticle`` of a release page."""

from __future__ import annotations

from django.utils.html import strip_tags

from core.structured_data import main_entity_of_page, organisation, render
from media.structured_data import image_object


def news_article(request, release, issuers, url: str) -> str:
    """``url``: the release's canonical address (``sites.addresses``), the same on every site."""
    language = release.content_language()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.localized("title")[:110],
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": main_entity_of_page(url),
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
