"""Rule 8: the editorial calendar and dashboard, linked from the admin index, within rule 5."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.publication import Status
from releases import services
from tests import factories

from .formdata import text

MONDAY = datetime(2025, 5, 5, 7, 0, tzinfo=UTC)  # Monday 5 May 2025, 09:00 in Luxembourg


@pytest.fixture
def week(org_a, org_b, editor_a):
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        ours = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Programmé de A")
        services.release_schedule(release=ours, by=editor_a, publish_at=MONDAY + timedelta(days=2))
        theirs = factories.release(
            status=Status.SCHEDULED,
            publish_at=MONDAY + timedelta(days=3),
            organisations=[org_b],
            title_fr="Secret de B",
        )
        meeting = factories.meeting(title_fr="Conseil JAI informel", starts_at=MONDAY + timedelta(days=1), host=org_a)
        factories.release(status=Status.IN_REVIEW, organisations=[org_a], title_fr="À relire de A")
        factories.release(status=Status.IN_REVIEW, organisations=[org_b], title_fr="À relire de B")
    return ours, theirs, meeting


@pytest.mark.django_db
def test_calendar_lists_the_weeks_releases_and_meetings_with_edit_links(editor_a, week, client):
    ours, theirs, meeting = week
    client.force_login(editor_a)
    with time_machine.travel(MONDAY, tick=False):
        page = text(client.get(reverse("admin:releases_calendar") + "?date=2025-05-05"))
    assert "Programmé de A" in page
    assert reverse("admin:releases_release_change", args=[ours.pk]) in page
    assert "Conseil JAI informel" in page
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) in page
    assert "Secret de B" not in page
    assert "09:00" in page and "07:00" not in page  # 07:00 UTC on 7 May is 09:00 in Luxembourg


@pytest.mark.django_db
def test_calendar_by_month_and_by_organisation(central_editor, week, org_b, client):
    ours, theirs, _meeting = week
    client.force_login(central_editor)
    month = text(client.get(reverse("admin:releases_calendar") + "?periode=mois&date=2025-05-01"))
    assert "Programmé de A" in month and "Secret de B" in month
    only_b = text(
        client.get(reverse("admin:releases_calendar") + f"?periode=mois&date=2025-05-01&organisation={org_b.pk}")
    )
    assert "Secret de B" in only_b and "Programmé de A" not in only_b
    next_month = text(client.get(reverse("admin:releases_calendar") + "?periode=mois&date=2025-06-01"))
    assert "Programmé de A" not in next_month


@pytest.mark.django_db
def test_dashboard_sections_respect_organisations(editor_a, week, client):
    client.force_login(editor_a)
    with time_machine.travel(MONDAY, tick=False):
        page = text(client.get(reverse("admin:releases_dashboard")))
    assert "À relire de A" in page and "Programmé de A" in page
    assert "À relire de B" not in page and "Secret de B" not in page
    for heading in (
        "Mes brouillons",
        "En attente de relecture",
        "Programmés dans les 7 prochains jours",
        "Publiés récemment",
    ):
        assert heading in page


@pytest.mark.django_db
def test_admin_index_links_to_calendar_and_dashboard(press_officer_a, client):
    client.force_login(press_officer_a)
    page = text(client.get(reverse("admin:index")))
    assert reverse("admin:releases_calendar") in page
    assert reverse("admin:releases_dashboard") in page


@pytest.mark.django_db
def test_demo_release_admin_pages_render(demo, superuser, client):
    """The demo communiqué opens in the admin: change form with its buttons, revisions, calendar, dashboard."""
    from releases.models import Release

    release = Release.objects.order_by("pk").first()
    client.force_login(superuser)
    change = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert change.status_code == 200
    assert "Publier la correction" in text(change)
    assert client.get(reverse("admin:releases_release_revisions", args=[release.pk])).status_code == 200
    assert client.get(reverse("admin:releases_calendar") + "?periode=mois&date=2024-01-01").status_code == 200
    assert client.get(reverse("admin:releases_dashboard")).status_code == 200
    assert client.get(reverse("admin:releases_release_add")).status_code == 200
