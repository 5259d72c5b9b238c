"""A major correction sends a short "mis à jour" message to the subscriptions that ask for updates;
daily subscribers get one digest at the set local hour, listing the day's releases still public."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from alerts import sending
from alerts.models import Delivery
from core.publication import Status
from releases import services
from tests import factories
from tests.alerts.jobs import run_due_jobs
from tests.alerts.subscribers import confirmed
from tests.publication.conftest import EDITOR, member

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)  # 10:00 in Luxembourg
DIGEST = datetime(2025, 5, 5, 16, 0, tzinfo=UTC)  # 18:00 in Luxembourg


@pytest.fixture
def ministry(db):
    return factories.organisation(slug="maint")


@pytest.fixture
def editor(ministry):
    return member(EDITOR, ministry)


def test_a_major_correction_tells_only_the_subscriptions_that_asked_for_updates(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    confirmed("suivi@example.org", organisation=ministry, wants_updates=True, language="en")
    confirmed("simple@example.org", organisation=ministry)
    confirmed("resume@example.org", organisation=ministry, wants_updates=True, frequency="daily")
    release = factories.release(organisations=[ministry], title_fr="Conseil JAI", publish_at=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.release_publish_correction(release=release, by=editor, major=False, internal_note="coquille")
    with time_machine.travel(NOW, tick=False):
        run_due_jobs()
    assert smtp.received == [], "a minor correction tells nobody"
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        update = services.release_publish_correction(
            release=release, by=editor, major=True, notes={"fr": "Les chiffres ont été corrigés."}
        )
    with time_machine.travel(NOW, tick=False):
        run_due_jobs()
        run_due_jobs()
    assert sorted(m.recipients[0] for m in smtp.received) == ["resume@example.org", "suivi@example.org"]
    english = smtp.handler.to("suivi@example.org")[0]
    assert english.message["Subject"].strip() == "Updated: Conseil JAI"
    assert "Les chiffres ont été corrigés." in english.part("text/plain")
    assert english.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(kind="update", reference=update.pk, state="sent").count() == 2
    sending.queue_update(release.pk, update.pk)
    run_due_jobs()
    assert len(smtp.received) == 2, "never twice"


def test_daily_subscribers_get_one_digest_at_the_set_hour_with_the_releases_still_public(smtp, ministry, settings):
    settings.ALERTS_DIGEST_HOUR = 18
    confirmed("resume@example.org", organisation=ministry, frequency="daily", language="de")
    confirmed("tout-de-suite@example.org", organisation=ministry)
    first = factories.release(organisations=[ministry], title_fr="Premier", publish_at=NOW)
    second = factories.release(organisations=[ministry], title_fr="Deuxième", publish_at=NOW + timedelta(hours=2))
    withdrawn_later = factories.release(
        organisations=[ministry], title_fr="Retiré", publish_at=NOW + timedelta(hours=3)
    )
    after_hour = factories.release(
        organisations=[ministry], title_fr="Demain", publish_at=DIGEST + timedelta(minutes=1)
    )
    for release in (first, second, withdrawn_later):
        with time_machine.travel(release.publish_at, tick=False):
            sending.queue_release(release.pk)
            run_due_jobs()
    assert [m.recipients for m in smtp.received] == [["tout-de-suite@example.org"]] * 3, "daily waits"
    withdrawn_later.status = Status.DRAFT
    withdrawn_later.save()
    with time_machine.travel(DIGEST - timedelta(seconds=1), tick=False):
        run_due_jobs()
    assert len(smtp.received) == 3
    with time_machine.travel(DIGEST, tick=False):
        run_due_jobs()
    [digest] = smtp.handler.to("resume@example.org")
    text = digest.part("text/plain")
    assert "Premier" in text and "Deuxième" in text and "Retiré" not in text
    assert text.index("Premier") < text.index("Deuxième")
    assert digest.message["Subject"].strip() == "Pressemitteilungen des Tages: 2 neue"
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with time_machine.travel(after_hour.publish_at, tick=False):
        sending.queue_release(after_hour.pk)
        run_due_jobs()
    assert len(smtp.handler.to("resume@example.org")) == 1, "after the hour: tomorrow's digest"
    with time_machine.travel(DIGEST + timedelta(days=1), tick=False):
        run_due_jobs()
    assert len(smtp.handler.to("resume@example.org")) == 2
    assert "Demain" in smtp.handler.to("resume@example.org")[1].part("text/plain")
