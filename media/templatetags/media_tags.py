from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(photo, sizes="(min-width: 60rem) 60rem, 100vw", alt=None):
    """A ``<picture>`` with WebP and JPEG ``srcset`` from the photo's existing renditions.

    Uses the prefetched ``photo.renditions``; renders nothing but the alt text when none exist yet.
    """
    renditions = sorted(photo.renditions.all(), key=lambda r: r.width)
    by_format = {}
    for rendition in renditions:
        url = reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")})
        by_format.setdefault(rendition.format, []).append(f"{url} {rendition.width}w")
    fallback = next((r for r in reversed(renditions) if r.format == "jpeg" and r.width <= 1280), None)
    fallback = fallback or (renditions[-1] if renditions else None)
    return {
        "photo": photo,
        "alt": photo.alt_text if alt is None else alt,
        "sizes": sizes,
        "webp_srcset": ", ".join(by_format.get("webp", [])),
        "jpeg_srcset": ", ".join(by_format.get("jpeg", [])),
        "fallback_url": (
            reverse("rendition-file", kwargs={"name": fallback.file.name.removeprefix("renditions/")})
            if fallback
            else ""
        ),
        "fallback": fallback,
    }
