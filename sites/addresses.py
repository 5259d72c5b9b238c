"""Where content lives: the one canonical site of a release, meeting or gallery, and absolute addresses
on a site.

A release carried by several sites (the portal and the site of each issuing ministry) has one canonical
address. ``CANONICAL_SITE`` chooses it:

- ``"issuer"`` (the default): the site of the first issuer that has one, in the issuers' order; an
  issuer without a site of its own counts as its nearest parent organisation that has one (an
  administration under a ministry is carried by the ministry's site); no issuer with a site: the portal;
- ``"portal"``: always the portal.

Meetings and galleries follow the same rule with their own list of organisations (see their views).
Everything is read from the sites directory (``sites.directory``): no query.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port

from sites.directory import Directory, directory, primary_host
from sites.models import Site

ISSUER = "issuer"
PORTAL = "portal"

_nearest: tuple[Directory, dict[int, int]] | None = None


def _nearest_sites(found: Directory) -> dict[int, int]:
    """Organisation id → the site whose organisation is it or its nearest parent with a site (the
    smallest organisation tree holding it); built once per directory."""
    global _nearest
    if _nearest is not None and _nearest[0] is found:
        return _nearest[1]
    best: dict[int, tuple[int, int]] = {}
    for pk, site in found.sites.items():
        size = len(site.organisation_ids or ())
        for organisation_id in site.organisation_ids or ():
            if organisation_id not in best or size < best[organisation_id][0]:
                best[organisation_id] = (size, pk)
    mapping = {organisation_id: pk for organisation_id, (_size, pk) in best.items()}
    _nearest = (found, mapping)
    return mapping


def canonical_site(organisation_ids: Iterable[int | None]) -> Site:
    """The site whose address is canonical for content of ``organisation_ids`` (in their order: the
    lead issuer first)."""
    found = directory()
    if getattr(settings, "CANONICAL_SITE", ISSUER) == ISSUER:
        nearest = _nearest_sites(found)
        for organisation_id in organisation_ids:
            pk = nearest.get(organisation_id)
            if pk is not None:
                return found.sites[pk]
    return found.portal


def sites_carrying(organisation_ids: Iterable[int]) -> list[Site]:
    """Every site that carries content of ``organisation_ids``: the portal first (when configured, or the
    one unsaved portal of an installation without sites), then each ministry site whose organisations
    meet them, by name."""
    found = directory()
    wanted = set(organisation_ids)
    ministries = [site for site in found.sites.values() if not site.is_portal and wanted & set(site.organisation_ids)]
    ministries.sort(key=lambda site: site.display_name.lower())
    return ([found.portal] if found.portal_id is not None or not found.sites else []) + ministries


def site_url(site: Site, path: str, request=None) -> str:
    """``path`` on ``site``: the site's first host name, with the scheme and port of the current
    request (or of ``SITE_URL`` without one: e-mails, the worker). A site without a host name (the
    unsaved portal of a fresh installation) is the request's own host, or ``SITE_URL``."""
    host = primary_host(site)
    if request is not None:
        current = request.get_host()
        if host is None:
            return f"{request.scheme}://{current}{path}"
        _domain, port = split_domain_port(current)
        scheme = request.scheme
    else:
        if host is None:
            return f"{settings.SITE_URL}{path}"
        parts = urlsplit(settings.SITE_URL)
        scheme, port = parts.scheme or "https", parts.port
    return f"{scheme}://{host}{f':{port}' if port else ''}{path}"


def canonical_url(organisation_ids: Iterable[int | None], path: str, request=None) -> str:
    """The canonical absolute address of ``path``, content of ``organisation_ids``."""
    return site_url(canonical_site(organisation_ids), path, request)


def meeting_organisations(meeting) -> list[int]:
    """A meeting's organisations in the order that chooses its canonical site: its host, then those it
    is stored with (participants' organisations, issuers of releases about it), by id. Only stored
    columns, so the page, the API and the admin agree without loading anything more."""
    ordered = [meeting.host_id, *(meeting.organisation_ids or ())]
    return [pk for pk in dict.fromkeys(ordered) if pk is not None]
