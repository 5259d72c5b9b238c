"""A meeting's ``organisation_ids`` follow its host and participants, whatever writes them."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from meetings.models import Meeting, Participation, organisations


@receiver(post_save, sender=Meeting, dispatch_uid="meetings.meeting.saved")
def meeting_saved(sender, instance: Meeting, **kwargs) -> None:
    organisations.refresh([instance.pk])


@receiver(post_save, sender=Participation, dispatch_uid="meetings.participation.saved")
@receiver(post_delete, sender=Participation, dispatch_uid="meetings.participation.deleted")
def participation_changed(sender, instance: Participation, **kwargs) -> None:
    organisations.refresh([instance.meeting_id])
