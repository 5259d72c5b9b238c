"""Cache tags of releases: what a change purges, and which list a page of releases is.

A list page carries its list tags (:func:`list_tags`: on a ministry's site, its organisations' lists
rather than every release's), its entries' tags (``release:<id>`` and their issuers'
``organisation:<id>``, added by ``{% release_items %}``) and its site's choices tags
(:func:`choices_tags`: the filter form); a page of search results also carries :func:`search_tags`. A
ministry's publication therefore leaves the other ministries' sites cached.

A change to a release purges its own tag (its page, and every list page showing it as an entry) and
the search results (its text may now match other words). Only when it may move between lists (new,
shown or hidden, rescheduled, another kind or meeting: :data:`releases.models.LISTED_FIELDS` differ
from the values loaded) does it also purge the lists it is on now and was on when loaded, and
``choices``. A correction of a release's text therefore leaves every list page that does not show it
cached. An issuer, a person, a tag or a meeting added or taken away is purged by that link's own change.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import pagecache
from core.organisations import organisation_pages_changed
from core.publication import site_organisation_ids
from people.models import Appointment
from releases.models import Release, ReleaseOrganisation, ReleaseSlugHistory, ReleaseUpdate

#: Every release list, feed, search and the home page (a page listing releases of any kind).
ALL_RELEASES = "list:releases"
#: The filter form's choices (organisations, people, tags and meetings of public releases) on every
#: site: purged by a renaming, a person, tag or meeting linked, a meeting changed.
CHOICES = "choices"
#: The portal's choices as far as releases alone change them (a release listed or moved, an issuer
#: given or taken); a ministry's site has ``choices:organisation:<id>`` instead, one per organisation.
RELEASE_CHOICES = "choices:releases"
#: Pages of search results: any release's text may change what they find.
SEARCH = "list:search"


def list_tag(filters: dict, choices: dict) -> str:
    """The tag of a list of releases narrowed by ``filters`` (validated against ``choices``): the
    narrowest one a release must have to appear in it, so other changes leave the page cached."""
    for name in ("organisation", "person", "tag", "meeting"):
        slug = filters.get(name)
        if slug:
            pk = choices[f"{name}_ids"].get(slug)
            return f"list:{name}:{pk}" if pk else ALL_RELEASES
    if filters.get("kind"):
        return f"list:kind:{filters['kind']}"
    return ALL_RELEASES


def list_tags(filters: dict, choices: dict, site=None) -> set[str]:
    """The list tags of a list of releases on ``site``: :func:`list_tag`, but on a ministry's site the
    lists of its organisations instead of every release's or a type's (``list:releases``,
    ``list:kind:<kind>``), so that another ministry's publication leaves the site's lists cached.

    A release enters or leaves such a list on the site only as a release of one of the site's
    organisations: its own change then purges its issuers' lists (:func:`release_tags`), and an issuer
    given or taken purges that organisation's (``_issuer_changed``).
    """
    tag = list_tag(filters, choices)
    organisation_ids = site_organisation_ids(site)
    if organisation_ids and (tag == ALL_RELEASES or tag.startswith("list:kind:")):
        return {f"list:organisation:{pk}" for pk in organisation_ids}
    return {tag}


def choices_tags(site=None) -> set[str]:
    """The tags of ``site``'s filter choices, and of every page whose content follows them (the filter
    form, a list validated against them, a search): :data:`CHOICES` and the releases' part for the
    portal (:data:`RELEASE_CHOICES`) or for each of the site's organisations."""
    organisation_ids = site_organisation_ids(site)
    if not organisation_ids:
        return {CHOICES, RELEASE_CHOICES}
    return {CHOICES, *(f"choices:organisation:{pk}" for pk in organisation_ids)}


def search_tags(site=None) -> set[str]:
    """The tags of ``site``'s search results that any change to a release's text may alter:
    :data:`SEARCH` on the portal; on a ministry's site ``list:search:organisation:<id>`` for each of its
    organisations (only their releases can be found there)."""
    organisation_ids = site_organisation_ids(site)
    if not organisation_ids:
        return {SEARCH}
    return {f"{SEARCH}:organisation:{pk}" for pk in organisation_ids}


def release_choices_tags(organisation_ids) -> set[str]:
    """What a change of a release that may alter the filter choices purges: the portal's choices and
    those of the sites carrying a release of these organisations (:func:`choices_tags`)."""
    return {RELEASE_CHOICES, *(f"choices:organisation:{pk}" for pk in organisation_ids or ())}


def release_tags(release: Release, organisation_ids) -> set[str]:
    """The tags of the lists ``release`` (of these issuers) is on, by its own fields, and of its page."""
    tags = {f"release:{release.pk}", ALL_RELEASES, f"list:kind:{release.kind}"}
    tags.update(f"list:organisation:{pk}" for pk in organisation_ids)
    if release.meeting_id:
        tags.add(f"list:meeting:{release.meeting_id}")
    return tags


def _issuer_ids(release_id) -> set[int]:
    """The release's issuers as stored now: the instance saved may hold ``organisation_ids`` from
    before its issuers changed (they are stored again after each save, not on the instance)."""
    issuers = ReleaseOrganisation.objects.filter(release_id=release_id).values_list("organisation_id", flat=True)
    return set(issuers)


def _release_changed(instance: Release, **kwargs) -> Iterable[str]:
    organisation_ids = set(instance.organisation_ids or ()) | _issuer_ids(instance.pk)
    # Any change to its text may change what searches find, on the portal and on the sites carrying it.
    tags = {f"release:{instance.pk}", SEARCH, *(f"{SEARCH}:organisation:{pk}" for pk in organisation_ids)}
    loaded = getattr(instance, "_listed_as_loaded", None)
    if loaded is not None and all(getattr(instance, name) == value for name, value in loaded.items()):
        return tags  # in the same lists, at the same place: the pages showing it carry its tag
    # New, or moved between lists, or shown or hidden.
    tags |= release_tags(instance, organisation_ids)
    tags |= release_choices_tags(organisation_ids) | organisation_pages_changed(organisation_ids)
    if loaded:
        if "kind" in loaded:
            tags.add(f"list:kind:{loaded['kind']}")
        if loaded.get("meeting_id"):
            tags.add(f"list:meeting:{loaded['meeting_id']}")
    return tags


def _issuer_changed(instance: ReleaseOrganisation, **kwargs) -> Iterable[str]:
    # The choices of every site carrying the release, now or before: the organisations it offers are
    # those of the releases a site carries.
    organisation_ids = {instance.organisation_id, *_issuer_ids(instance.release_id)}
    return {
        f"release:{instance.release_id}",
        f"list:organisation:{instance.organisation_id}",
        *release_choices_tags(organisation_ids),
        *organisation_pages_changed(organisation_ids),
    }


def _release_row_changed(instance, **kwargs) -> Iterable[str]:
    return {f"release:{instance.release_id}"}


def _people_mentioned_changed(instance, action=None, pk_set=None, model=None, **kwargs) -> Iterable[str] | None:
    if pk_set is None:
        return None  # cleared: who was mentioned is gone, forget everything
    if isinstance(instance, Release):
        releases, appointments = {instance.pk}, set(pk_set)
    else:  # from the appointment's side
        releases, appointments = set(pk_set), {instance.pk}
    people = Appointment.objects.filter(pk__in=appointments).values_list("person_id", flat=True).distinct()
    return {CHOICES, *(f"release:{pk}" for pk in releases), *(f"list:person:{pk}" for pk in people)}


def register() -> None:
    pagecache.register_tagger(Release, _release_changed)
    pagecache.register_tagger(ReleaseOrganisation, _issuer_changed)
    pagecache.register_tagger(ReleaseUpdate, _release_row_changed)
    pagecache.register_tagger(ReleaseSlugHistory, _release_row_changed)
    pagecache.register_tagger(Release.appointments.through, _people_mentioned_changed)
