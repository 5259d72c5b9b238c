"""schema.org JSON-LD for public pages: the shared pieces.

Each app describes its own objects (``media.structured_data``: images and galleries,
``people.structured_data``: people, ``meetings.structured_data``: events,
``releases.structured_data``: news articles), built from objects the page already fetched: nothing
queries the database beyond what the page prefetched.
"""

from __future__ import annotations

import json

from django.utils.safestring import mark_safe

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def render(data: dict) -> str:
    """``<script type="application/ld+json">`` content, safe inside HTML."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=None).translate(_ESCAPES))  # noqa: S308


def main_entity_of_page(url: str) -> dict:
    """The page an object is the main subject of: its canonical address (one, whichever site shows it)."""
    return {"@type": "WebPage", "@id": url}


def organisation(request, org) -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": org.name,
        "url": request.build_absolute_uri(org.get_absolute_url()),
    }
