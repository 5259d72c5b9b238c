"""alerts listens to the releases' publication signals (releases never imports alerts).

A release scheduled or published queues its alerts job for ``publish_at`` once the service's
transaction commits; the job decides at run time, through ``Release.objects.public()``, whether
anything goes out. A major correction queues the "mis à jour" messages.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from releases.signals import release_corrected, release_published, release_scheduled


@receiver(release_scheduled, dispatch_uid="alerts.release_scheduled")
@receiver(release_published, dispatch_uid="alerts.release_published")
def queue_alerts(sender, release, **kwargs) -> None:
    from alerts.sending import send_release_alerts

    release_id, publish_at = release.pk, release.publish_at
    transaction.on_commit(lambda: send_release_alerts.using(run_after=publish_at).enqueue(release_id))


@receiver(release_corrected, dispatch_uid="alerts.release_corrected")
def queue_update(sender, release, update, **kwargs) -> None:
    if not update.major:
        return
    from alerts.sending import send_release_update

    release_id, update_id = release.pk, update.pk
    transaction.on_commit(lambda: send_release_update.enqueue(release_id, update_id))
