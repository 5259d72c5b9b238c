"""Addresses of rendition files, built without a URL reverse per file.

A release page with 30 photos lists about 300 renditions in its ``srcset``s and JSON-LD; reversing
the URL pattern for each cost more than the rest of the gallery. The pattern is reversed once (per
URL configuration and script prefix) and each file name is quoted as ``reverse()`` would.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

#: What ``reverse()`` leaves unquoted in a path (RFC 3986 sub-delimiters and ``/~:@``).
_SAFE = "!$&'()*+,;=/~:@"
_PLACEHOLDER = "x"


@lru_cache(maxsize=16)
def _prefix(urlconf: str, script_prefix: str) -> str:
    return reverse("rendition-file", kwargs={"name": _PLACEHOLDER}).removesuffix(_PLACEHOLDER)


def rendition_path_prefix() -> str:
    """``/media-files/renditions/`` as ``reverse()`` gives it now (URL configuration, script prefix)."""
    return _prefix(str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix())


def rendition_path(rendition, prefix: str | None = None) -> str:
    """The public path of ``rendition``'s file; ``prefix`` from :func:`rendition_path_prefix` when
    building many."""
    name = rendition.file.name.removeprefix("renditions/")
    return (prefix or rendition_path_prefix()) + quote(name, safe=_SAFE)
