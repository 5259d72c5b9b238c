"""Captions generated from the people shown, in each language, with the role each held that day.

"(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral …"

The role is the one held on the day the photo was taken (``Photo.taken_at`` in Luxembourg time):
Gérald Darmanin photographed in January 2024 stays "ministre de l'Intérieur" after his move to
Justice. A person shown through an appointment that was not running that day is named with the
appointment they did hold that day (see :func:`appointments_on`). With one person there is no
"from left to right".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.utils import timezone

from people.models import Appointment

LEFT_TO_RIGHT = {
    "fr": "(de g. à dr.)",
    "de": "(v. l. n. r.)",
    "en": "(from left to right)",
    "lb": "(vu lénks no riets)",
}
# French sets a space before the semicolon; the other three do not.
SEPARATOR = {"fr": " ; ", "de": "; ", "en": "; ", "lb": "; "}


def taken_on(photo) -> date | None:
    return timezone.localdate(photo.taken_at) if photo.taken_at else None


def appointment_valid_on(appointment: Appointment, day: date | None) -> bool:
    if day is None:
        return True
    return appointment.started_on <= day and (appointment.ended_on is None or appointment.ended_on >= day)


def appointments_on(appointments: Sequence[Appointment], day: date | None) -> list[Appointment]:
    """Each appointment if it ran on ``day``, else the same person's appointment that did (one query for
    all of them); an appointment with no replacement on that day is kept as it is."""
    if day is None:
        return list(appointments)
    stale = {a.person_id for a in appointments if not appointment_valid_on(a, day)}
    held = {}
    if stale:
        for candidate in (
            Appointment.objects.valid_on(day)
            .filter(person_id__in=stale)
            .select_related("person", "role")
            .order_by("started_on", "pk")
        ):
            held.setdefault(candidate.person_id, candidate)
    return [a if appointment_valid_on(a, day) else held.get(a.person_id, a) for a in appointments]


def role_title(appointment: Appointment, language: str) -> str:
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    role = appointment.role
    return getattr(role, f"title_{language}", "") or getattr(role, f"title_{default}", "") or role.title


def caption_for(appointments: Sequence[Appointment], language: str) -> str:
    """The caption in ``language`` for people shown left to right (appointments already chosen for the day)."""
    if not appointments:
        return ""
    names = [f"{a.person.full_name}, {role_title(a, language)}" for a in appointments]
    body = SEPARATOR[language].join(names)
    return f"{LEFT_TO_RIGHT[language]} {body}" if len(names) > 1 else body


def generated_captions(appointments: Sequence[Appointment]) -> dict[str, str]:
    """``caption_<lang>`` field names → caption, for every language of the site."""
    return {f"caption_{code}": caption_for(appointments, code) for code, _name in settings.LANGUAGES}
