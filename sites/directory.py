"""Which site a host name is, read without a query on most requests.

The directory (every site with its hosts and footer links) is kept in the shared cache under a token
that changes whenever a site, one of its hosts or links, or an organisation changes (in every
process: the token lives in the shared cache); each process keeps the directory it last read with its
token, so a request costs one small cache read.

A fresh installation with no site at all serves the portal (an unsaved :class:`Site`) on every allowed
host; once one site exists, a host that no site lists is refused (``sites.middleware``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port

from people.models import Organisation
from sites.models import Site, SiteHost, SiteLink

TOKEN_KEY = "sites:token"


@dataclass(frozen=True)
class Directory:
    sites: dict[int, Site] = field(default_factory=dict)
    by_host: dict[str, int] = field(default_factory=dict)
    by_organisation: dict[int, int] = field(default_factory=dict)
    portal_id: int | None = None

    @property
    def portal(self) -> Site:
        """The portal: its row, or an unsaved one while none is configured."""
        return self.sites[self.portal_id] if self.portal_id is not None else Site()


_local: tuple[str, Directory] | None = None


def _cache():
    return caches["default"]


def _build() -> Directory:
    sites = {site.pk: site for site in Site.objects.prefetch_related("hosts", "links")}
    return Directory(
        sites=sites,
        by_host={host.host: site.pk for site in sites.values() for host in site.hosts.all()},
        by_organisation={site.organisation_id: site.pk for site in sites.values() if site.organisation_id},
        portal_id=next((pk for pk, site in sites.items() if site.is_portal), None),
    )


def directory() -> Directory:
    """Every site, from this process's copy while the shared token holds."""
    global _local
    cache = _cache()
    token = cache.get(TOKEN_KEY)
    if token is not None and _local is not None and _local[0] == token:
        return _local[1]
    if token is not None:
        found = cache.get(f"sites:directory:{token}")
        if found is not None:
            _local = (token, found)
            return found
    token = token or secrets.token_hex(8)
    built = _build()
    cache.add(TOKEN_KEY, token, None)
    if cache.get(TOKEN_KEY) == token:
        cache.set(f"sites:directory:{token}", built, None)
        _local = (token, built)
    return built


def forget() -> None:
    """Make every process read the sites again (now, and once the current transaction commits)."""

    def new_token():
        global _local
        _local = None
        _cache().set(TOKEN_KEY, secrets.token_hex(8), None)

    new_token()
    transaction.on_commit(new_token)


def normalised_host(raw_host: str) -> str:
    """``Maint.Gouvernement.LU.:443`` → ``maint.gouvernement.lu``."""
    domain, _port = split_domain_port(raw_host)
    return domain.lower().rstrip(".")


def site_for_host(raw_host: str) -> Site | None:
    """The site serving ``raw_host`` (with or without port), or None when no site lists it."""
    found = directory()
    if not found.sites:
        return found.portal
    pk = found.by_host.get(normalised_host(raw_host))
    return found.sites.get(pk) if pk is not None else None


def portal() -> Site:
    return directory().portal


def site_of_organisation(organisation_id: int) -> Site | None:
    found = directory()
    pk = found.by_organisation.get(organisation_id)
    return found.sites.get(pk) if pk is not None else None


def primary_host(site: Site) -> str | None:
    hosts = list(site.hosts.all()) if site.pk else []
    return hosts[0].host if hosts else None


# --- derived organisation ids ---------------------------------------------------------------------


def organisation_tree(organisation_id: int, children: dict[int | None, list[int]] | None = None) -> list[int]:
    """``organisation_id`` and every organisation under it (the administrations of a ministry...)."""
    if children is None:
        children = _children()
    found, todo = set(), [organisation_id]
    while todo:
        pk = todo.pop()
        if pk not in found:  # a loop in bad data must not hang a save
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return sorted(found)


def _children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def refresh_organisation_ids(sites=None) -> bool:
    """Store each site's organisation tree again (after a save, or an organisation moved under another);
    says whether any changed."""
    sites = list(sites if sites is not None else Site.objects.exclude(organisation=None))
    children = _children() if any(site.organisation_id for site in sites) else {}
    changed = False
    for site in sites:
        ids = organisation_tree(site.organisation_id, children) if site.organisation_id else []
        if ids != site.organisation_ids:
            Site.objects.filter(pk=site.pk).update(organisation_ids=ids)
            site.organisation_ids = ids
            changed = True
    return changed


def _site_saved(sender, instance, **kwargs):
    refresh_organisation_ids([instance])
    forget()


def _organisation_changed(sender, instance, **kwargs):
    if refresh_organisation_ids():
        forget()


def _part_changed(sender, **kwargs):
    forget()


def connect_signals() -> None:
    post_save.connect(_site_saved, sender=Site, dispatch_uid="sites-site-saved")
    post_delete.connect(_part_changed, sender=Site, dispatch_uid="sites-site-deleted")
    for model in (SiteHost, SiteLink):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"sites-{model.__name__}-saved")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"sites-{model.__name__}-deleted")
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="sites-organisation-saved")
    post_delete.connect(_organisation_changed, sender=Organisation, dispatch_uid="sites-organisation-deleted")
