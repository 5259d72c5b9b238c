"""Rule 4: times are typed and shown in Luxembourg; a time that does not exist or exists twice is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from core.forms import LuxembourgDateTimeField
from core.publication import Status
from tests import factories

from .formdata import form_data, text

BEFORE_2025_CHANGES = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def field_errors(value: tuple[str, str]) -> list[str]:
    field = LuxembourgDateTimeField(future=True)
    try:
        field.clean(list(value))
    except Exception as error:  # noqa: BLE001 - the messages are the point
        return list(error.messages)
    return []


@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
def test_spring_forward_gap_is_refused_with_a_clear_message():
    """30 March 2025, 02:30 does not exist in Luxembourg (clocks jump from 02:00 to 03:00)."""
    errors = field_errors(("2025-03-30", "02:30"))
    assert errors and "n'existe pas à Luxembourg" in errors[0]
    assert "heure d'été" in errors[0]


@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
def test_autumn_overlap_is_refused_with_a_clear_message():
    """26 October 2025, 02:30 happens twice in Luxembourg (clocks go back from 03:00 to 02:00)."""
    errors = field_errors(("2025-10-26", "02:30"))
    assert errors and "existe deux fois à Luxembourg" in errors[0]


@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
def test_ordinary_local_times_become_the_right_utc_instant():
    """10:00 in winter is 09:00 UTC, 10:00 in summer is 08:00 UTC; the hours around the changes are fine."""
    field = LuxembourgDateTimeField(future=True)
    assert field.clean(["2025-03-20", "10:00"]) == datetime(2025, 3, 20, 9, 0, tzinfo=UTC)
    assert field.clean(["2025-06-02", "10:00"]) == datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    assert field.clean(["2025-03-30", "03:00"]) == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)
    assert field.clean(["2025-10-26", "03:00"]) == datetime(2025, 10, 26, 2, 0, tzinfo=UTC)


@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
def test_scheduling_in_the_past_is_refused():
    errors = field_errors(("2025-02-28", "10:00"))
    assert errors and "déjà passée" in errors[0]


@pytest.mark.django_db
@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
@pytest.mark.parametrize(
    ("day", "hour", "message"),
    [
        ("2025-03-30", "02:30", "n'existe pas à Luxembourg"),
        ("2025-10-26", "02:30", "existe deux fois à Luxembourg"),
        ("2025-02-01", "10:00", "déjà passée"),
    ],
)
def test_admin_schedule_button_refuses_gap_overlap_and_past(editor_a, org_a, client, day, hour, message):
    """Through the release admin: the form comes back with the message, the release stays a draft."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(editor_a)
    data = form_data(client.get(url).content.decode())
    data.update({"schedule_at_0": day, "schedule_at_1": hour, "_schedule": "1"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in text(response)
    release.refresh_from_db()
    assert release.status == Status.DRAFT and release.publish_at is None


@pytest.mark.django_db
@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
def test_admin_schedules_at_the_luxembourg_time_typed(editor_a, org_a, client):
    """ "2025-06-02 10:00" typed in the admin is stored as 08:00 UTC and shown back as 10:00."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(editor_a)
    data = form_data(client.get(url).content.decode())
    data.update({"schedule_at_0": "2025-06-02", "schedule_at_1": "10:00", "_schedule": "1"})
    assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.publish_at == datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    assert release.first_published_at == release.publish_at
    page = text(client.get(url))
    assert "heure de Luxembourg" in page
    assert "10:00" in page


@pytest.mark.django_db
@time_machine.travel(BEFORE_2025_CHANGES, tick=False)
@pytest.mark.parametrize("model", ["meeting", "gallery"])
def test_meeting_and_gallery_admin_refuse_gap_and_show_the_time_zone(superuser, client, model):
    """The same field in the meeting and gallery forms: time zone written, 02:30 on 30 March refused."""
    obj = factories.meeting() if model == "meeting" else factories.gallery()
    app = "meetings" if model == "meeting" else "media"
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    client.force_login(superuser)
    page = client.get(url)
    assert "heure de Luxembourg (Europe/Luxembourg)" in text(page)
    data = form_data(page.content.decode(), form_id=f"{model}_form")
    data.update({"status": Status.SCHEDULED, "publish_at_0": "2025-03-30", "publish_at_1": "02:30", "_save": "1"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "n'existe pas à Luxembourg" in text(response)
    data.update({"publish_at_0": "2025-02-01", "publish_at_1": "10:00"})
    assert "déjà passée" in text(client.post(url, data))
    obj.refresh_from_db()
    assert obj.status == Status.DRAFT


def test_local_time_helpers_are_luxembourgs():
    """The reusable validator works on wall-clock values, whatever the active time zone."""
    from core.forms import luxembourg_instant

    assert luxembourg_instant(datetime.combine(date(2025, 1, 25), time(10, 0))) == datetime(
        2025, 1, 25, 9, 0, tzinfo=UTC
    )
