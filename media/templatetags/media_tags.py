from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from core import pagecache
from media.links import rendition_path, rendition_path_prefix

register = template.Library()


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


@register.simple_tag
def picture(photo, sizes="(min-width: 60rem) 60rem, 100vw", alt=None):
    """A ``<picture>`` with WebP and JPEG ``srcset`` from the photo's existing renditions.

    Uses the prefetched ``photo.renditions``; renders only the alt text while none exist yet, and
    nothing at all for a photo that may not be shown (rights expired). Written in Python rather than
    with an included template: a gallery of 30 photos renders it 30 times.
    """
    if photo is None:
        return ""
    pagecache.add_tags(f"photo:{photo.pk}")  # also while hidden: a change may show it
    if not is_visible(photo):
        return ""
    renditions = sorted(photo.renditions.all(), key=lambda r: (r.width, r.format))
    alt = photo.alt_text if alt is None else alt
    jpegs = [r for r in renditions if r.format == "jpeg"]
    fallback = next((r for r in reversed(jpegs) if r.width <= 1280), None) or (jpegs[0] if jpegs else None)
    fallback = fallback or (renditions[-1] if renditions else None)
    if fallback is None:
        return format_html('<p class="image-pending">{}</p>', alt)
    prefix = rendition_path_prefix()
    by_format = {}
    for rendition in renditions:
        by_format.setdefault(rendition.format, []).append(f"{rendition_path(rendition, prefix)} {rendition.width}w")
    sources = format_html_join(
        "",
        '\n  <source type="image/{}" srcset="{}" sizes="{}">',
        ((kind, ", ".join(by_format[kind]), sizes) for kind in ("webp", "jpeg") if by_format.get(kind)),
    )
    return format_html(
        '<picture>{}\n  <img src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async">\n</picture>',
        sources,
        rendition_path(fallback, prefix),
        alt,
        fallback.width,
        fallback.height,
    )


@register.simple_tag
def figure(photo, number):
    """A numbered ``<figure>``: the picture, "Photo n", the caption and the credit.

    Written in Python rather than with an included template (a gallery renders it once per photo).
    """
    caption = photo.caption
    return format_html(
        '<figure id="photo-{}" class="photo">\n  {}\n  <figcaption>\n    <span class="figure-number">{}</span>\n'
        '    {}<span class="credit">{} {}</span>\n  </figcaption>\n</figure>',
        number,
        picture(photo),
        gettext("Photo %(number)s") % {"number": number},
        format_html('<span class="caption">{}</span>\n    ', caption) if caption else "",
        gettext("Crédit :"),
        photo.credit,
    )
