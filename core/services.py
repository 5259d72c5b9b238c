"""Writes shared by the publishable models edited directly in their admin form (meetings and galleries).

Releases have their own verbs in ``releases/services.py``; a meeting or a gallery has its status set in
its form, and this service stamps and records what that change means.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core import audit
from core.publication import VISIBLE_STATUSES, Publishable, Status

#: The audit verb for arriving in each status (``meetings.meeting.scheduled`` ...).
STATUS_VERBS = {
    Status.DRAFT: "returned_to_draft",
    Status.IN_REVIEW: "submitted",
    Status.SCHEDULED: "scheduled",
    Status.PUBLISHED: "published",
    Status.WITHDRAWN: "withdrawn",
}


def publishable_save(
    *, item: Publishable, by: AbstractBaseUser | None, previous_status: str | None, previous_publish_at: datetime | None
) -> Publishable:
    """Save a meeting or gallery from its form, stamp its first publication and record the change.

    ``first_published_at`` is the item's first public moment: its ``publish_at`` the first time it is
    given a visible status (not the moment this runs). ``previous_status`` is None for a new item.
    """
    label = item._meta.label_lower
    with transaction.atomic():
        if item.status in VISIBLE_STATUSES and item.publish_at and item.first_published_at is None:
            item.first_published_at = item.publish_at
        item.save()
        if previous_status is None:
            audit.record(f"{label}.created", target=item, actor=by, status=item.status)
        if previous_status != item.status:
            audit.record(
                f"{label}.{STATUS_VERBS[Status(item.status)]}",
                target=item,
                actor=by,
                previous_status=previous_status,
                publish_at=item.publish_at,
            )
        elif previous_publish_at != item.publish_at and item.status in VISIBLE_STATUSES:
            audit.record(f"{label}.rescheduled", target=item, actor=by, publish_at=item.publish_at)
        elif previous_status is not None:
            audit.record(f"{label}.edited", target=item, actor=by)
    return item
