"""Cache tags of people and organisations: a change purges the pages that name them.

Pages showing a person carry ``person:<id>`` (their role titles come through their appointments),
pages showing an organisation ``organisation:<id>``; ``choices`` is the filter form of every list,
``list:people`` the search results and ``list:organisations`` the home page's ministries.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import pagecache
from people.models import Appointment, Organisation, Person, Role


def _person_changed(instance: Person, **kwargs) -> Iterable[str]:
    return {f"person:{instance.pk}", "choices", "list:people"}


def _organisation_changed(instance: Organisation, **kwargs) -> Iterable[str]:
    tags = {f"organisation:{instance.pk}", "choices", "list:organisations"}
    for related in (instance.parent_id, instance.successor_id):
        if related:
            tags.add(f"organisation:{related}")
    return tags


def _role_changed(instance: Role, **kwargs) -> Iterable[str]:
    people = Appointment.objects.filter(role=instance).values_list("person_id", flat=True).distinct()
    return {f"organisation:{instance.organisation_id}", "choices", *(f"person:{pk}" for pk in people)}


def _appointment_changed(instance: Appointment, **kwargs) -> Iterable[str]:
    organisation_id = Role.objects.filter(pk=instance.role_id).values_list("organisation_id", flat=True).first()
    tags = {f"person:{instance.person_id}", "choices"}
    if organisation_id:
        tags.add(f"organisation:{organisation_id}")
    return tags


def register() -> None:
    pagecache.register_tagger(Person, _person_changed)
    pagecache.register_tagger(Organisation, _organisation_changed)
    pagecache.register_tagger(Role, _role_changed)
    pagecache.register_tagger(Appointment, _appointment_changed)
