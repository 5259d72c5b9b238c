"""Who may see, edit and publish which release.

- A press officer (group "Chargé de presse") sees and edits the releases that one of their
  organisations issues (``OrganisationMembership``) and may submit them for review.
- An editor ("Éditeur") also holds ``releases.publish_release``: they schedule, publish, correct,
  withdraw and unpublish the releases of their organisations, and create preview links.
- A central editor ("Éditeur central") holds ``releases.view_all_releases``: every organisation.
- A superuser may do everything.

These functions are the only place the rules are written; the admin, its extra views and the staff
preview call them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from releases.models import Release

PUBLISH = "releases.publish_release"
VIEW_ALL = "releases.view_all_releases"

User = AbstractBaseUser | AnonymousUser


def sees_all_organisations(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(VIEW_ALL)))


def organisation_ids(user: User) -> list[int]:
    """The organisations a user writes for."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_newsroom_organisation_ids", None)
    if cached is None:
        from people.models import OrganisationMembership

        cached = list(OrganisationMembership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._newsroom_organisation_ids = cached
    return cached


def releases_for(user: User, queryset: QuerySet[Release] | None = None) -> QuerySet[Release]:
    """The releases ``user`` may see in the admin: all for central editors, else their organisations' ones."""
    queryset = Release.objects.all() if queryset is None else queryset
    if not (user.is_active and user.is_staff):
        return queryset.none()
    if sees_all_organisations(user):
        return queryset
    return queryset.filter(
        pk__in=Release.objects.filter(issuers__organisation_id__in=organisation_ids(user)).values("pk")
    )


def preview_gallery_ids(user: User) -> QuerySet:
    """The galleries of the releases ``user`` may see in the admin, whose photos they may preview."""
    return releases_for(user).filter(gallery_id__isnull=False).values("gallery_id")


def can_access(user: User, release: Release) -> bool:
    """May ``user`` see (and, with the model permission, edit) this release at all?"""
    if not (user.is_active and user.is_staff):
        return False
    if sees_all_organisations(user):
        return True
    if release.pk is None:
        return True
    mine = set(organisation_ids(user))
    return any(issuer.organisation_id in mine for issuer in release.issuers.all())


def can_edit(user: User, release: Release) -> bool:
    return can_access(user, release) and user.has_perm("releases.change_release")


def can_submit(user: User, release: Release) -> bool:
    return can_edit(user, release)


def can_publish(user: User, release: Release | None = None) -> bool:
    """Scheduling, publishing, correcting, withdrawing, unpublishing, preview links, restoring."""
    if not user.has_perm(PUBLISH):
        return False
    return release is None or can_access(user, release)
