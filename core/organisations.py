"""Organisations stored on content as ``organisation_ids``, derived on save, for per-site selection.

Releases store their issuers; meetings the organisations taking part (host, participants) and those
issuing releases about them; galleries those issuing the releases that carry them. Each model's owner
declares an :class:`OrganisationIds`; apps above hand down more sources (``add_source``) without the
owner importing them. ``core.publication.on_site_q`` reads the stored array.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Model

#: Cache tag of what shows which organisations have a page on a ministry's site (the links of a person's
#: roles, the home page's ministries there): purged by any change to the organisations of public
#: meetings, or to what is public (``website.selectors.organisations_on_site``). A release's change
#: purges only ``organisation-pages:<id>`` of its issuers (:func:`organisation_pages_changed`).
ORGANISATION_PAGES = "organisation-pages"


def organisation_pages_tags(site_organisation_ids: Iterable[int]) -> set[str]:
    """What shows which organisations have a page on a ministry's site of these organisations carries:
    :data:`ORGANISATION_PAGES` and one tag per organisation of the site."""
    return {ORGANISATION_PAGES, *(f"{ORGANISATION_PAGES}:{pk}" for pk in site_organisation_ids)}


def organisation_pages_changed(organisation_ids: Iterable[int]) -> set[str]:
    """What a change to a release of these organisations purges: the organisation pages of the sites
    carrying it (only those sites carry it, so only their pages may change)."""
    return {f"{ORGANISATION_PAGES}:{pk}" for pk in organisation_ids or ()}


#: A source: given item ids, pairs ``(item id, organisation id)`` (None ids are ignored).
Source = Callable[[list[int]], Iterable[tuple[int, int | None]]]


class OrganisationIds:
    """Keeps ``model.organisation_ids`` equal to the union of its sources' organisations."""

    def __init__(self, model: type[Model]):
        self.model = model
        self.sources: list[Source] = []

    def add_source(self, source: Source) -> None:
        if source not in self.sources:
            self.sources.append(source)

    def refresh(self, ids: Iterable[int | None]) -> None:
        """Store again the organisations of the items ``ids`` (None ids are skipped); one update per
        item whose organisations changed."""
        ids = sorted({pk for pk in ids if pk is not None})
        if not ids:
            return
        found: dict[int, set[int]] = defaultdict(set)
        for source in self.sources:
            for pk, organisation_id in source(ids):
                if organisation_id is not None:
                    found[pk].add(organisation_id)
        stored = dict(self.model._default_manager.filter(pk__in=ids).values_list("pk", "organisation_ids"))
        for pk, current in stored.items():
            wanted = sorted(found.get(pk, ()))
            if wanted != sorted(current or ()):
                self.model._default_manager.filter(pk=pk).update(organisation_ids=wanted)
