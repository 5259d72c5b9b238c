"""Sending alerts: at the publication second, once per (subscription, release), whatever dies.

1. ``queue_release(release_id)`` (the job enqueued with ``run_after=publish_at``) re-reads the release
   through ``Release.objects.public()``: a release unpublished or moved later sends nothing now (a
   release moved later has a job of its own for its new time; a worker early on its clock queues the
   job again for ``publish_at``). It then records one pending :class:`Delivery` per matching
   subscription in one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (the matching query reads the GIN
   index on ``Subscription.keys``), and enqueues one batch job per ``ALERTS_BATCH_SIZE`` deliveries,
   so that every worker takes a share.
2. ``send_batch`` sends each pending delivery of its id range: in one transaction it marks the row
   sent (``UPDATE … WHERE state = 'pending'``, which locks it: another copy of the job waits, then
   finds it sent), writes the message to the SMTP server up to the end of its DATA and commits, and
   only then ends the DATA (``alerts/mail.py``). A worker killed before the commit leaves the row
   pending and the SMTP server discards the unfinished message; the job, queued again by the next
   worker, sends it then. Messages are rendered once per release and language; only the subscriber's
   own links differ. A batch is shared among ``ALERTS_SEND_THREADS`` threads, each with its own SMTP
   and database connections, so that one's wait for an answer is another's time to send.
3. A temporary failure (4xx, a connection refused or cut) leaves the delivery pending with
   ``next_attempt_at`` doubling from ``ALERTS_RETRY_SECONDS``; after ``ALERTS_MAX_ATTEMPTS`` it is
   failed. A permanent failure (5xx) fails it at once and counts a bounce for the address: at
   ``ALERTS_MAX_BOUNCES`` its subscriptions are suspended (they match nothing any more).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection as db
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tasks import task

from alerts import mail
from alerts.matching import release_keys
from alerts.models import Delivery, Frequency, Subscription
from core.publication import Status
from releases.models import Release, ReleaseUpdate

logger = logging.getLogger(__name__)


def public_release(release_id: int) -> Release | None:
    return Release.objects.public().filter(pk=release_id).first()


def scheduled_later(release_id: int) -> Release | None:
    """A release not public yet but scheduled for a moment still to come (its alerts wait for it)."""
    return Release.objects.filter(pk=release_id, status=Status.SCHEDULED, publish_at__gt=timezone.now()).first()


def record_deliveries(release: Release, kind: str, reference: int, subscriptions) -> int:
    """One pending delivery per subscription in ``subscriptions`` (a queryset), in one statement."""
    select_sql, params = subscriptions.values("id").query.sql_with_params()
    with db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO alerts_delivery (subscription_id, release_id, kind, reference, state, attempts, "
            "last_error, created_at, message_id) "
            f"SELECT sub.id, %s, %s, %s, %s, 0, '', now(), '' FROM ({select_sql}) AS sub "
            "ON CONFLICT ON CONSTRAINT alerts_delivery_once DO NOTHING",
            [release.pk, kind, reference, Delivery.State.PENDING, *params],
        )
        return cursor.rowcount


def batch_ranges(release_id: int, kind: str, reference: int) -> list[tuple[int, int]]:
    size = settings.ALERTS_BATCH_SIZE
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / %s AS part "
            "FROM alerts_delivery WHERE release_id = %s AND kind = %s AND reference = %s AND state = %s) AS numbered "
            "GROUP BY part ORDER BY part",
            [size, release_id, kind, reference, Delivery.State.PENDING],
        )
        return [(first, last) for first, last in cursor.fetchall()]


def queue_release(release_id: int) -> int:
    """Record the deliveries of a release just public and enqueue their batches; return how many were new."""
    release = public_release(release_id)
    if release is None:
        waiting = scheduled_later(release_id)
        if waiting is not None:
            # Run early (a worker's clock ahead of the database's, or a job queued by hand): come back then.
            send_release_alerts.using(run_after=waiting.publish_at).enqueue(release_id)
        return 0
    keys = release_keys(release)
    matching = Subscription.objects.matching(keys).filter(frequency=Frequency.IMMEDIATE)
    created = record_deliveries(release, Delivery.Kind.ALERT, 0, matching)
    enqueue_batches(release.pk, Delivery.Kind.ALERT, 0)
    # Daily subscribers: the release waits for the next digest (the day it covers is its reference).
    digest_at = next_digest_at(release.publish_at)
    day = digest_at.date().toordinal()
    daily = Subscription.objects.matching(keys).filter(frequency=Frequency.DAILY)
    if record_deliveries(release, Delivery.Kind.DIGEST, day, daily):
        send_daily_digest.using(run_after=digest_at).enqueue(day)
    logger.info("Release %s: %s alert(s) to send", release.pk, created)
    return created


def next_digest_at(moment) -> datetime:
    """The first digest time (``ALERTS_DIGEST_HOUR``, Luxembourg time) at or after ``moment``."""
    local = timezone.localtime(moment)
    at = timezone.make_aware(datetime.combine(local.date(), time(settings.ALERTS_DIGEST_HOUR)))
    if at <= local:
        at = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time(settings.ALERTS_DIGEST_HOUR)))
    return at


def send_digest(day: int) -> int:
    """One message per daily subscription listing the releases of its digest ``day`` still public now."""
    rows = Delivery.objects.filter(kind=Delivery.Kind.DIGEST, reference=day, state=Delivery.State.PENDING)
    public_ids = set(Release.objects.public().filter(pk__in=rows.values("release_id")).values_list("pk", flat=True))
    rows.exclude(release_id__in=public_ids).update(state=Delivery.State.SKIPPED, last_error="not public")
    sent = 0
    connection = None
    for subscription_id in list(rows.order_by().values_list("subscription_id", flat=True).distinct()):
        try:
            if connection is None:
                connection = mail.open_connection()
            with transaction.atomic():
                deliveries = list(
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk__in=rows.filter(subscription_id=subscription_id).values("pk"))
                    .select_related("subscription")
                    .order_by("id")
                )
                if not deliveries:
                    continue
                subscription = deliveries[0].subscription
                if subscription.suspended_at is not None:
                    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(state=Delivery.State.SKIPPED)
                    continue
                releases = list(
                    Release.objects.public()
                    .filter(pk__in=[d.release_id for d in deliveries])
                    .order_by("publish_at", "id")
                )
                message = mail.digest_message(
                    subscription, releases, message_id=mail.delivery_message_id(deliveries[0].pk)
                )
                pending = mail.start_transaction(connection, message)
                Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
                    state=Delivery.State.SENT,
                    sent_at=timezone.now(),
                    attempts=F("attempts") + 1,
                    message_id=message.extra_headers["Message-ID"],
                )
            pending.finish()
            sent += 1
        except (smtplib.SMTPException, OSError) as error:
            for delivery_id in rows.filter(subscription_id=subscription_id).values_list("pk", flat=True):
                note_failure(delivery_id, error)
            connection = None
    if connection is not None:
        connection.close()
    retry_at = rows.aggregate(at=Min("next_attempt_at"))["at"]
    if retry_at is not None:
        send_daily_digest.using(run_after=retry_at).enqueue(day)
    return sent


def queue_update(release_id: int, update_id: int) -> int:
    """A major correction: a short "mis à jour" message to the subscriptions that asked for updates."""
    release = public_release(release_id)
    update = ReleaseUpdate.objects.filter(pk=update_id, release_id=release_id, major=True).first()
    if release is None or update is None or release.status == Status.WITHDRAWN:
        return 0
    matching = Subscription.objects.matching(release_keys(release)).filter(wants_updates=True)
    created = record_deliveries(release, Delivery.Kind.UPDATE, update.pk, matching)
    enqueue_batches(release.pk, Delivery.Kind.UPDATE, update.pk)
    return created


def enqueue_batches(release_id: int, kind: str, reference: int) -> None:
    for first, last in batch_ranges(release_id, kind, reference):
        send_delivery_batch.enqueue(release_id, kind, reference, first, last)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.ALERTS_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def note_failure(delivery_id: int, error: Exception) -> None:
    """Temporary: retried later; permanent (5xx): failed, and a bounce counted for the address."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()))[0]
    permanent = isinstance(code, int) and 500 <= code < 600
    text = f"{code or ''} {error}".strip()[:500]
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
        delivery.attempts += 1
        delivery.last_error = text
        delivery.sent_at = None
        delivery.message_id = ""
        if permanent or delivery.attempts >= settings.ALERTS_MAX_ATTEMPTS:
            delivery.state = Delivery.State.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.state = Delivery.State.PENDING
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at", "sent_at", "message_id"])
        if permanent:
            address = delivery.subscription.address
            Subscription.objects.filter(address=address).update(bounces=F("bounces") + 1)
            Subscription.objects.filter(
                address=address, bounces__gte=settings.ALERTS_MAX_BOUNCES, suspended_at__isnull=True
            ).update(suspended_at=timezone.now())
    logger.warning("Delivery %s failed (%s): %s", delivery_id, "permanent" if permanent else "temporary", text)


def build_message(delivery: Delivery, release: Release, cache: dict):
    update = None
    if delivery.kind == Delivery.Kind.UPDATE:
        if ("update", delivery.reference) not in cache:
            cache["update", delivery.reference] = ReleaseUpdate.objects.filter(pk=delivery.reference).first()
        update = cache["update", delivery.reference]
    return mail.alert_message(
        delivery.subscription,
        release,
        kind=delivery.kind,
        update=update,
        message_id=mail.delivery_message_id(delivery.pk),
        cache=cache,
    )


def send_each(deliveries: list[Delivery], release: Release) -> int:
    """Send ``deliveries`` one by one over one SMTP connection; return how many were sent."""
    sent = 0
    connection = None
    cache: dict = {}  # messages rendered once per language (and the update announced)
    with db.cursor() as cursor:
        # Commits return before PostgreSQL flushes them to disk: a killed worker loses nothing (the
        # server has the commit); only a crash of PostgreSQL itself within a fraction of a second could
        # forget that a message left, and send it again. A commit per message costs a quarter then.
        cursor.execute("SET synchronous_commit TO OFF")
        try:
            for delivery in deliveries:
                message = build_message(delivery, release, cache)
                try:
                    if connection is None:
                        connection = mail.open_connection()
                    with transaction.atomic():
                        # Claims and locks the row: a copy of this job waits here, then finds it sent.
                        cursor.execute(
                            "UPDATE alerts_delivery SET state = %s, sent_at = %s, attempts = attempts + 1, "
                            "message_id = %s WHERE id = %s AND state = %s RETURNING id",
                            [
                                Delivery.State.SENT,
                                timezone.now(),
                                message.extra_headers["Message-ID"],
                                delivery.pk,
                                Delivery.State.PENDING,
                            ],
                        )
                        if cursor.fetchone() is None:
                            continue
                        pending = mail.start_transaction(connection, message)
                    # Recorded as sent: now the server may accept it.
                    pending.finish()
                    sent += 1
                except (smtplib.SMTPException, OSError) as error:
                    note_failure(delivery.pk, error)
                    if connection is not None:
                        with contextlib.suppress(Exception):  # a broken connection may fail to close too
                            connection.close()
                    connection = None
        finally:
            cursor.execute("SET synchronous_commit TO DEFAULT")
    if connection is not None:
        connection.close()
    return sent


def in_own_connection(deliveries: list[Delivery], release: Release) -> int:
    """:func:`send_each` in a thread of its own, which closes its database connection when done."""
    try:
        return send_each(deliveries, release)
    finally:
        db.close()


def send_batch(release_id: int, kind: str, reference: int, first_id: int, last_id: int) -> int:
    """Send the pending deliveries ``first_id``..``last_id`` of a release; return how many were sent."""
    release = public_release(release_id)
    rows = Delivery.objects.filter(
        release_id=release_id, kind=kind, reference=reference, id__gte=first_id, id__lte=last_id
    )
    if release is None:
        if scheduled_later(release_id) is None:
            # Unpublished (or withdrawn from the schedule) before its messages left: none will.
            rows.filter(state=Delivery.State.PENDING).update(state=Delivery.State.SKIPPED, last_error="not public")
        return 0
    now = timezone.now()
    due = rows.filter(state=Delivery.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    inactive = Q(subscription__suspended_at__isnull=False) | Q(subscription__confirmed_at__isnull=True)
    due.filter(inactive).update(state=Delivery.State.SKIPPED, last_error="subscription inactive")
    deliveries = list(due.exclude(inactive).select_related("subscription").order_by("id"))
    threads = max(1, min(settings.ALERTS_SEND_THREADS, len(deliveries) // 20 or 1))
    if threads == 1:
        sent = send_each(deliveries, release)
    else:
        # Each thread has its own SMTP and database connections: the time one waits for an answer,
        # another sends. A delivery is claimed by its own UPDATE, whoever runs it.
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="alerts") as pool:
            sent = sum(
                pool.map(in_own_connection, [deliveries[n::threads] for n in range(threads)], [release] * threads)
            )
    retry_at = rows.filter(state=Delivery.State.PENDING).aggregate(at=Min("next_attempt_at"))["at"]
    if retry_at is not None:
        send_delivery_batch.using(run_after=retry_at).enqueue(release_id, kind, reference, first_id, last_id)
    return sent


# The jobs (django-tasks, run by ``manage.py worker``). Each is safe to run twice.


@task()
def send_release_alerts(release_id: int) -> int:
    return queue_release(release_id)


@task()
def send_release_update(release_id: int, update_id: int) -> int:
    return queue_update(release_id, update_id)


@task()
def send_daily_digest(day: int) -> int:
    return send_digest(day)


@task()
def send_delivery_batch(release_id: int, kind: str, reference: int, first_id: int, last_id: int) -> int:
    return send_batch(release_id, kind, reference, first_id, last_id)
