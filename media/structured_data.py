"""schema.org ``ImageObject`` and ``ImageGallery`` of photos, from prefetched renditions."""

from __future__ import annotations

from core.structured_data import main_entity_of_page, render
from media.links import rendition_path


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


def image_gallery(request, gallery, items, url: str) -> str:
    """``url``: the gallery's canonical address (``sites.addresses``)."""
    return render(
        {
            "@context": "https://schema.org",
            "@type": "ImageGallery",
            "name": gallery.title,
            "url": url,
            "mainEntityOfPage": main_entity_of_page(url),
            "image": [image_object(request, item.photo, position) for position, item in enumerate(items, 1)],
        }
    )
