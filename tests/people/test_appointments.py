"""Who held which role on a given day, and the rules that keep appointments consistent."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def darmanin():
    """Gérald Darmanin: Interior from July 2020 to 21 September 2024, Justice from 23 December 2024."""
    person = factories.person(given_name="Gérald", family_name="Darmanin")
    interior = factories.appointment(
        person, factories.role(title_fr="ministre de l'Intérieur"), date(2020, 7, 6), date(2024, 9, 21)
    )
    justice = factories.appointment(
        person, factories.role(title_fr="garde des Sceaux, ministre de la Justice"), date(2024, 12, 23)
    )
    return person, interior, justice


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 7, 5), None),  # the day before the first appointment
        (date(2020, 7, 6), "interior"),  # its first day
        (date(2024, 1, 25), "interior"),  # the informal JHA Council
        (date(2024, 9, 21), "interior"),  # its last day, inclusive
        (date(2024, 10, 1), None),  # between the two governments
        (date(2024, 12, 23), "justice"),  # first day at Justice
        (date(2030, 1, 1), "justice"),  # still current
    ],
)
def test_role_on_a_day_before_during_and_after(darmanin, day, expected):
    person, interior, justice = darmanin
    held = person.role_on(day)
    assert held == {"interior": interior, "justice": justice, None: None}[expected]


def test_valid_on_lists_only_appointments_held_that_day(darmanin):
    person, interior, justice = darmanin
    assert list(Appointment.objects.valid_on(date(2024, 1, 25))) == [interior]
    assert list(Appointment.objects.valid_on(date(2025, 1, 1))) == [justice]


def test_inverted_dates_refused_with_a_message():
    appointment = Appointment(
        person=factories.person(), role=factories.role(), started_on=date(2024, 5, 1), ended_on=date(2024, 4, 30)
    )
    with pytest.raises(ValidationError) as error:
        appointment.full_clean()
    assert "ne peut pas précéder son début" in str(error.value.message_dict["ended_on"])


def test_inverted_dates_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            person=factories.person(), role=factories.role(), started_on=date(2024, 5, 1), ended_on=date(2024, 4, 30)
        )


def test_overlapping_appointment_in_the_same_role_refused_with_a_message():
    existing = factories.appointment(started_on=date(2023, 11, 17))
    clash = Appointment(person=existing.person, role=existing.role, started_on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "exerce déjà cette fonction" in str(error.value)


def test_overlapping_appointment_refused_by_the_database():
    existing = factories.appointment(started_on=date(2020, 1, 1), ended_on=date(2020, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            person=existing.person, role=existing.role, started_on=date(2020, 12, 31), ended_on=date(2021, 6, 1)
        )


def test_successive_appointments_in_the_same_role_are_allowed():
    first = factories.appointment(started_on=date(2018, 1, 1), ended_on=date(2019, 12, 31))
    second = Appointment(person=first.person, role=first.role, started_on=date(2020, 1, 1))
    second.full_clean()
    second.save()
    assert first.person.appointments.count() == 2
