"""Captions generated from the people shown, in each language, with the role each held that day.

"(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral …"

The role is the one held on the day the photo was taken (``Photo.taken_at`` in Luxembourg time):
Gérald Darmanin photographed in January 2024 stays "ministre de l'Intérieur" after his move to
Justice. A person shown through an appointment that was not running that day is named with the
appointment they did hold that day (see :func:`appointments_on`). With one person there is no
"from left to right".

The rule (:func:`follows_people`): the caption is generated when "caption is generated" is ticked,
or when no caption is written in any language and people are shown; a written caption is never
overwritten, and editing a generated one by hand makes it written (:func:`still_generated`).
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


def has_written_caption(values) -> bool:
    """Whether a caption is written in any language; ``values`` is a photo or ``caption_<lang>`` → text."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, "")
    return any(get(f"caption_{code}") for code, _name in settings.LANGUAGES)


def follows_people(*, is_generated: bool, written: bool, has_people: bool) -> bool:
    """Whether the caption is the one generated from the people shown."""
    return is_generated or (has_people and not written)


def still_generated(*, ticked: bool, just_ticked: bool, caption_edited: bool) -> bool:
    """After an edit: a generated caption changed by hand is written, unless the box was ticked in that edit."""
    return ticked and (just_ticked or not caption_edited)


def published_captions(*, written: dict[str, str], is_generated: bool, appointments, day) -> dict[str, str]:
    """``caption_<lang>`` → the caption the public pages show: generated from the people shown (in the roles
    held on ``day``) when the caption follows them, else the written one, or the French one in its place
    (the pages fall back to it)."""
    appointments = list(appointments)
    if follows_people(is_generated=is_generated, written=has_written_caption(written), has_people=bool(appointments)):
        return generated_captions(appointments_on(appointments, day))
    default = written.get(f"caption_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}") or ""
    return {f"caption_{code}": written.get(f"caption_{code}") or default for code, _name in settings.LANGUAGES}
