"""Cache tags of meetings: a change purges the meeting's page, the agenda and the pages listing it."""

from __future__ import annotations

from collections.abc import Iterable

from core import pagecache
from core.organisations import ORGANISATION_PAGES
from meetings.models import Meeting, Participation
from people.models import Appointment


def _meeting_changed(instance: Meeting, **kwargs) -> Iterable[str]:
    # "choices": the release filters offer the meetings of public releases.
    return {f"meeting:{instance.pk}", "list:meetings", "choices", ORGANISATION_PAGES}


def _participation_changed(instance: Participation, **kwargs) -> Iterable[str] | None:
    if kwargs.get("action"):
        return None  # links changed through the many-to-many manager (the admin saves rows): everything
    person_id = Appointment.objects.filter(pk=instance.appointment_id).values_list("person_id", flat=True).first()
    tags = {f"meeting:{instance.meeting_id}", ORGANISATION_PAGES}
    if person_id:
        tags.add(f"person:{person_id}")
    return tags


def register() -> None:
    pagecache.register_tagger(Meeting, _meeting_changed)
    pagecache.register_tagger(Participation, _participation_changed)
