"""Published-ness, defined once.

Release, Meeting and Gallery inherit :class:`Publishable`. The one rule of what the public may see is
:func:`public_q`; ``Model.objects.public(at=None)`` applies it to a queryset and ``public_q(prefix)``
applies it across a relation (``person.releases.filter(public_q())`` is never written by hand with a
status filter). Visibility is decided at query time against ``at`` (default: now), so an item
scheduled for 10:00:00 is public at 10:00:00 exactly, with no job to run.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    IN_REVIEW = "in_review", _("En relecture")
    SCHEDULED = "scheduled", _("Programmé")
    PUBLISHED = "published", _("Publié")
    WITHDRAWN = "withdrawn", _("Retiré")


#: Statuses whose items are public once ``publish_at`` has passed. A withdrawn item keeps its page
#: (with the withdrawal notice) so links and the public record stay intact.
VISIBLE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED, Status.WITHDRAWN)


def public_q(prefix: str = "", at: datetime | None = None) -> Q:
    """The condition for "public at ``at``", optionally across a relation (``prefix="releases"``)."""
    at = at or timezone.now()
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}status__in": VISIBLE_STATUSES, f"{p}publish_at__lte": at}) & (
        Q(**{f"{p}unpublish_at__isnull": True}) | Q(**{f"{p}unpublish_at__gt": at})
    )


def gone_q(prefix: str = "", at: datetime | None = None) -> Q:
    """Items that were public and have been taken down (``unpublish_at`` passed): their address answers 410."""
    at = at or timezone.now()
    p = f"{prefix}__" if prefix else ""
    return Q(
        **{
            f"{p}status__in": VISIBLE_STATUSES,
            f"{p}publish_at__lt": F(f"{p}unpublish_at"),
            f"{p}unpublish_at__lte": at,
        }
    )


def request_site(request):
    """The site a request is for (``request.site``, set by the site middleware); None (the portal's
    rule: everything) for a request that did not pass through it."""
    return getattr(request, "site", None)


def site_organisation_ids(site) -> list[int]:
    """The organisations whose items ``site`` carries, in order; none for the portal (or no site),
    which carries everything."""
    return sorted(getattr(site, "organisation_ids", None) or ())


def is_carried(site, organisation_ids) -> bool:
    """``on_site_q`` for one item already loaded: whether ``site`` carries an item with these stored
    ``organisation_ids`` (the portal, or no site, carries everything)."""
    wanted = getattr(site, "organisation_ids", None)
    return not wanted or not set(wanted).isdisjoint(organisation_ids or ())


def on_site_q(site, prefix: str = "") -> Q:
    """The condition for "carried by ``site``", optionally across a relation (see ``on_site``)."""
    organisation_ids = getattr(site, "organisation_ids", None)
    if not organisation_ids:
        return Q()
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}organisation_ids__overlap": list(organisation_ids)})


class PublicationQuerySet(models.QuerySet):
    def public(self, at: datetime | None = None):
        """Items the public may see at ``at`` (default: now). The only way public surfaces select."""
        return self.filter(public_q(at=at))

    def gone(self, at: datetime | None = None):
        """Items once public and now unpublished: their public address answers 410 Gone."""
        return self.filter(gone_q(at=at))

    def on_site(self, site):
        """Items ``site`` carries: with an organisation, those whose stored ``organisation_ids`` meet
        the site's (its organisation and those under it; one GIN-indexed ``&&``, no join); the portal
        (no organisations) carries everything. ``site`` is any object with ``organisation_ids``."""
        return self.filter(on_site_q(site))


class Publishable(models.Model):
    """Publication fields shared by releases, meetings and galleries."""

    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("publier le"), null=True, blank=True, db_index=True, help_text=_("Heure de Luxembourg.")
    )
    # Indexed: the page cache looks up the next publish or unpublish time after every change.
    unpublish_at = models.DateTimeField(
        _("dépublier le"), null=True, blank=True, db_index=True, help_text=_("Heure de Luxembourg.")
    )
    first_published_at = models.DateTimeField(_("première publication"), null=True, blank=True, editable=False)
    public_updated_at = models.DateTimeField(_("dernière mise à jour"), null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(_("modifié le"), auto_now=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The optimistic lock: every save of an existing row moves the version on, so a form based on
        # an older version can be recognised (and refused) when it comes back.
        if not self._state.adding:
            self.lock_version = (self.lock_version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "lock_version", "edited_at"}
        super().save(*args, **kwargs)

    def is_public(self, at: datetime | None = None) -> bool:
        """The same rule as :func:`public_q`, for an object already in memory."""
        at = at or timezone.now()
        return (
            self.status in VISIBLE_STATUSES
            and self.publish_at is not None
            and self.publish_at <= at
            and (self.unpublish_at is None or self.unpublish_at > at)
        )

    def is_gone(self, at: datetime | None = None) -> bool:
        """The same rule as :func:`gone_q`: once public, now unpublished."""
        at = at or timezone.now()
        return (
            self.status in VISIBLE_STATUSES
            and self.publish_at is not None
            and self.unpublish_at is not None
            and self.publish_at < self.unpublish_at <= at
        )

    @property
    def is_embargoed(self) -> bool:
        """Scheduled for a moment still to come."""
        return self.status == Status.SCHEDULED and self.publish_at is not None and self.publish_at > timezone.now()
