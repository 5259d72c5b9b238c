from django import template
from django.urls import reverse
from django.utils import timezone

register = template.Library()


def _url(rendition) -> str:
    return reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")})


def is_visible(photo) -> bool:
    """Whether ``{% picture %}`` may show the photo, without a query.

    Querysets built with ``media.selectors.with_visibility`` or ``visible_gallery_items`` decided it
    in SQL (``is_visible``, or only visible items fetched). Otherwise the photo is on a page that is
    itself public, so what is left to check is its rights, already in memory.
    """
    annotated = getattr(photo, "is_visible", None)
    if annotated is not None:
        return bool(annotated)
    return photo.rights_valid_on(timezone.localdate())


@register.filter
def visible(photo) -> bool:
    """``{% if item.photo|visible %}``: the same test as ``{% picture %}``, for captions and credits."""
    return photo is not None and is_visible(photo)


@register.inclusion_tag("includes/picture.html")
def picture(photo, sizes="(min-width: 60rem) 60rem, 100vw", alt=None):
    """A ``<picture>`` with WebP and JPEG ``srcset`` from the photo's existing renditions.

    Uses the prefetched ``photo.renditions``; renders only the alt text while none exist yet, and
    nothing at all for a photo that may not be shown (rights expired).
    """
    if photo is None or not is_visible(photo):
        return {"hidden": True}
    renditions = sorted(photo.renditions.all(), key=lambda r: (r.width, r.format))
    by_format = {}
    for rendition in renditions:
        by_format.setdefault(rendition.format, []).append(f"{_url(rendition)} {rendition.width}w")
    jpegs = [r for r in renditions if r.format == "jpeg"]
    fallback = next((r for r in reversed(jpegs) if r.width <= 1280), None) or (jpegs[0] if jpegs else None)
    fallback = fallback or (renditions[-1] if renditions else None)
    return {
        "hidden": False,
        "photo": photo,
        "alt": photo.alt_text if alt is None else alt,
        "sizes": sizes,
        "webp_srcset": ", ".join(by_format.get("webp", [])),
        "jpeg_srcset": ", ".join(by_format.get("jpeg", [])),
        "fallback_url": _url(fallback) if fallback else "",
        "fallback": fallback,
    }
