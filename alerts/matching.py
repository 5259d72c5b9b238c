"""Which subscriptions a release matches: one indexed query on ``Subscription.keys``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from core.models import TaggedItem
from releases.models import Release
from sites.models import Site


def release_keys(release: Release) -> list[str]:
    """The filter values a release satisfies, as ``Subscription.keys`` spells them."""
    keys = [f"kind:{release.kind}"]
    keys += [f"organisation:{pk}" for pk in (release.organisation_ids or [])]
    # The ministries' sites carrying it (their subscriptions follow only what they carry).
    if release.organisation_ids:
        sites = Site.objects.filter(organisation_ids__overlap=list(release.organisation_ids))
        keys += [f"site:{pk}" for pk in sites.values_list("pk", flat=True)]
    people = release.appointments.values_list("person_id", flat=True).distinct()
    keys += [f"person:{pk}" for pk in people]
    tags = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Release), object_id=release.pk
    ).values_list("tag_id", flat=True)
    keys += [f"tag:{pk}" for pk in tags]
    if release.meeting_id:
        keys.append(f"meeting:{release.meeting_id}")
    return sorted(set(keys))
