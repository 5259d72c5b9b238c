"""Alerts leave at the publication second, once per subscription, in the subscriber's language,
through a real SMTP server; a release unpublished in time sends nothing; failures are retried or
counted as bounces."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from alerts import sending
from alerts.models import Delivery, Subscription
from core.publication import Status
from releases import services
from tests import factories
from tests.alerts.jobs import run_due_jobs
from tests.alerts.subscribers import confirmed
from tests.publication.conftest import EDITOR, member

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)
AT = NOW + timedelta(hours=1)  # 11:00 in Luxembourg (summer time)


@pytest.fixture
def ministry(db):
    return factories.organisation(
        slug="maint", name_fr="Ministère des Affaires intérieures", name_de="Innenministerium"
    )


@pytest.fixture
def editor(ministry):
    return member(EDITOR, ministry)


def scheduled_release(ministry, editor, django_capture_on_commit_callbacks, **fields):
    fields.setdefault("title_fr", "Conseil JAI informel")
    fields.setdefault("lead_fr", "Les ministres se sont réunis à Bruxelles.")
    release = factories.release(status=Status.DRAFT, organisations=[ministry], **fields)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.release_schedule(release=release, by=editor, publish_at=AT)
    return release


def test_nothing_leaves_before_the_publication_second_and_each_match_gets_one_message_at_it(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    follower = confirmed("lea@example.org", organisation=ministry)
    everything = confirmed("tout@example.org")
    confirmed("autre@example.org", organisation=factories.organisation())
    Subscription(address="pas-confirme@example.org", organisation=ministry).save()
    confirmed("resume@example.org", organisation=ministry, frequency="daily")
    release = scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    job = DBTaskResult.objects.get(task_path="alerts.sending.send_release_alerts")
    assert job.run_after == AT and job.args_kwargs["args"] == [release.pk]

    with time_machine.travel(AT - timedelta(seconds=1), tick=False):
        run_due_jobs()
        assert sending.queue_release(release.pk) == 0, "a worker early on its clock sends nothing"
    assert smtp.received == [] and not Delivery.objects.exists()

    with time_machine.travel(AT, tick=False):
        run_due_jobs()
    assert sorted(r for m in smtp.received for r in m.recipients) == ["lea@example.org", "tout@example.org"]
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 2
    alerts = Delivery.objects.filter(kind=Delivery.Kind.ALERT)
    assert set(alerts.values_list("subscription", flat=True)) == {follower.pk, everything.pk}
    assert Delivery.objects.get(kind=Delivery.Kind.DIGEST).state == "pending", "the daily one waits for its digest"

    [message] = smtp.handler.to("lea@example.org")
    parsed = message.message
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Subject"].strip() == "Conseil JAI informel"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https://newsroom\.example/fr/alertes/desabonner/\S+/>", parsed["List-Unsubscribe"].strip())
    delivery = Delivery.objects.get(subscription=follower)
    assert parsed["Message-ID"] == delivery.message_id and delivery.sent_at == AT
    text, html = message.part("text/plain"), message.part("text/html")
    for part in (text, html):
        assert "Conseil JAI informel" in part
        assert "Les ministres se sont réunis à Bruxelles." in part
        assert "5 mai 2025 11:00" in part, "the publication time, in Luxembourg"
        assert "Ministère des Affaires intérieures" in part
        assert f"https://newsroom.example{release.get_absolute_url()}" in part
        assert "/fr/alertes/gerer/" in part

    with time_machine.travel(AT + timedelta(minutes=5), tick=False):
        sending.queue_release(release.pk)
        run_due_jobs()
    assert len(smtp.received) == 2, "the job run again sends nothing twice"


def test_a_release_unpublished_before_its_job_runs_sends_nothing(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    confirmed("lea@example.org", organisation=ministry)
    release = scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    with time_machine.travel(AT - timedelta(minutes=10), tick=False):
        services.release_unpublish(release=release, by=editor)
    with time_machine.travel(AT + timedelta(minutes=1), tick=False):
        run_due_jobs()
    assert smtp.received == [] and not Delivery.objects.exists()


def test_a_release_taken_down_before_its_batch_runs_sends_nothing_more(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    confirmed("lea@example.org", organisation=ministry)
    release = scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    with time_machine.travel(AT, tick=False):
        sending.queue_release(release.pk)  # deliveries recorded, batch queued
        services.release_unpublish(release=release, by=editor)
        run_due_jobs()
    assert smtp.received == []
    assert Delivery.objects.get().state == Delivery.State.SKIPPED


def test_rescheduled_later_the_release_leaves_at_its_new_time_only(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    confirmed("lea@example.org", organisation=ministry)
    release = scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    later = AT + timedelta(hours=2)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.release_schedule(release=release, by=editor, publish_at=later)
    with time_machine.travel(AT, tick=False):
        run_due_jobs()
    assert smtp.received == []
    with time_machine.travel(later, tick=False):
        run_due_jobs()
    assert len(smtp.received) == 1


def test_each_subscriber_reads_their_language_or_the_original_with_a_notice(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    for language in ("fr", "de", "en", "lb"):
        confirmed(f"{language}@example.org", language=language, organisation=ministry)
    scheduled_release(
        ministry,
        editor,
        django_capture_on_commit_callbacks,
        title_de="Informeller JI-Rat",
        lead_de="Die Minister trafen sich in Brüssel.",
        slug_de="informeller-ji-rat",
    )
    with time_machine.travel(AT, tick=False):
        run_due_jobs()
    subjects = {m.recipients[0]: m.message["Subject"].strip() for m in smtp.received}
    assert subjects == {
        "fr@example.org": "Conseil JAI informel",
        "de@example.org": "Informeller JI-Rat",
        "en@example.org": "Conseil JAI informel",
        "lb@example.org": "Conseil JAI informel",
    }
    german = smtp.handler.to("de@example.org")[0]
    assert "Die Minister trafen sich in Brüssel." in german.part("text/plain")
    assert "Innenministerium" in german.part("text/plain")
    assert "/de/alertes/gerer/" in german.part("text/plain")
    assert german.message["Content-Language"] == "de"
    english = smtp.handler.to("en@example.org")[0]
    assert "This press release does not exist in your language" in english.part("text/plain")
    assert '<html lang="fr">' in english.part("text/html"), "the text is marked with its own language"
    luxembourgish = smtp.handler.to("lb@example.org")[0]
    assert "Dës Pressematdeelung gëtt et net an Ärer Sprooch" in luxembourgish.part("text/plain")


def test_the_one_click_address_of_a_received_message_ends_the_subscription(
    smtp, ministry, editor, django_capture_on_commit_callbacks
):
    subscription = confirmed("lea@example.org", organisation=ministry)
    scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    with time_machine.travel(AT, tick=False):
        run_due_jobs()
    header = smtp.received[0].message["List-Unsubscribe"].strip()
    path = header.strip("<>").removeprefix("https://newsroom.example")
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_temporary_failures_are_retried_with_backoff_and_permanent_ones_count_as_bounces(
    smtp, ministry, editor, django_capture_on_commit_callbacks, settings
):
    settings.ALERTS_MAX_BOUNCES = 2
    settings.ALERTS_RETRY_SECONDS = 60
    later = confirmed("plus-tard@example.org", organisation=ministry)
    gone = confirmed("parti@example.org", organisation=ministry)
    other_of_gone = confirmed("parti@example.org", kind="speech")
    smtp.handler.refuse = {
        "plus-tard@example.org": "451 4.3.0 Try again later",
        "parti@example.org": "550 5.1.1 No such user",
    }
    scheduled_release(ministry, editor, django_capture_on_commit_callbacks)
    with time_machine.travel(AT, tick=False):
        run_due_jobs()
    assert smtp.received == []
    retry = Delivery.objects.get(subscription=later)
    assert (retry.state, retry.attempts, retry.next_attempt_at) == ("pending", 1, AT + timedelta(seconds=60))
    assert retry.last_error.startswith("451")
    failed = Delivery.objects.get(subscription=gone)
    assert failed.state == "failed" and failed.last_error.startswith("550")
    gone.refresh_from_db()
    other_of_gone.refresh_from_db()
    assert gone.bounces == other_of_gone.bounces == 1 and gone.suspended_at is None

    with time_machine.travel(AT + timedelta(seconds=59), tick=False):
        run_due_jobs()
    assert Delivery.objects.get(subscription=later).attempts == 1, "not before its backoff"
    with time_machine.travel(AT + timedelta(seconds=60), tick=False):
        run_due_jobs()
    retry.refresh_from_db()
    assert (retry.attempts, retry.next_attempt_at) == (2, AT + timedelta(seconds=60 + 120)), "the wait doubles"

    smtp.handler.refuse.pop("plus-tard@example.org")
    with time_machine.travel(AT + timedelta(seconds=180), tick=False):
        run_due_jobs()
    retry.refresh_from_db()
    assert retry.state == "sent" and [m.recipients for m in smtp.received] == [["plus-tard@example.org"]]

    second = factories.release(organisations=[ministry], publish_at=AT, status=Status.PUBLISHED)
    with time_machine.travel(AT + timedelta(seconds=200), tick=False):
        sending.queue_release(second.pk)
        run_due_jobs()
    gone.refresh_from_db()
    assert gone.bounces == 2 and gone.suspended_at is not None, "suspended after the second bounce"
    assert not Subscription.objects.matching([f"organisation:{ministry.pk}"]).filter(address="parti@example.org")
