"""A worker killed with ``kill -9`` in the middle of sending a release's alerts: the next worker
resumes, and every subscriber receives the message exactly once (real processes, real SMTP)."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Delivery, Subscription
from alerts.sending import send_release_alerts
from core.publication import Status
from tests import factories
from tests.alerts.smtp import SMTPServer
from tests.reliability.conftest import shared_database_url
from tests.reliability.processes import PYTHON, production_env, start_group, stop_group, wait_until

SUBSCRIBERS = 400


def worker_command() -> list[str]:
    return [PYTHON, "manage.py", "worker", "--no-startup-delay", "--interval", "0.1", "--queue-name", "*"]


@pytest.fixture
def started():
    processes = []
    yield processes
    for process in reversed(processes):
        stop_group(process)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "slow_step",
    [
        # The kill lands while the worker waits for the server to accept a message it has recorded as
        # sent (after its commit and final "."): the next worker must not send it again.
        "data",
        # The kill lands while the worker waits for a recipient to be accepted, its delivery claimed in
        # a transaction not committed yet: the server drops the unfinished message, the next worker sends it.
        "rcpt",
    ],
)
def test_a_worker_killed_mid_batch_is_resumed_and_each_message_is_sent_exactly_once(
    started, media_root, tmp_path, slow_step
):
    ministry = factories.organisation(slug="maint")
    for n in range(SUBSCRIBERS):
        Subscription(address=f"lecteur{n}@example.org", organisation=ministry, confirmed_at=timezone.now()).save()
    release = factories.release(
        organisations=[ministry], status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(seconds=1)
    )
    with SMTPServer() as smtp:
        # About 100 messages a second, the time spent in one step: the kill lands mid-batch, in that step.
        setattr(smtp.handler, "delay" if slow_step == "data" else "rcpt_delay", 0.01)
        env = production_env(
            database_url=shared_database_url(),
            work=tmp_path,
            static_root=tmp_path,
            media_root=media_root,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            SITE_URL="https://newsroom.example",
            ALERTS_BATCH_SIZE="1000",
        )
        send_release_alerts.enqueue(release.pk)
        first = start_group(worker_command(), env, tmp_path / "worker-1.log")
        started.append(first)
        assert wait_until(lambda: len(smtp.received) >= 100, timeout=60, step=0.01), (
            tmp_path / "worker-1.log"
        ).read_text()[-3000:]
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        received_before = len(smtp.received)
        recorded_before = Delivery.objects.filter(state=Delivery.State.SENT).count()
        assert received_before < SUBSCRIBERS, "killed mid-batch"

        second = start_group(worker_command(), env, tmp_path / "worker-2.log")
        started.append(second)
        assert wait_until(
            lambda: Delivery.objects.filter(state=Delivery.State.SENT).count() == SUBSCRIBERS, timeout=120, step=0.2
        ), (tmp_path / "worker-2.log").read_text()[-3000:]
        assert wait_until(lambda: len(smtp.received) >= SUBSCRIBERS, timeout=10)
        received = Counter(recipient for message in smtp.received for recipient in message.recipients)

    print(
        f"\n[{slow_step}] killed after {received_before} of {SUBSCRIBERS} messages "
        f"({recorded_before} recorded as sent); the second worker sent the rest"
    )
    assert set(received) == {f"lecteur{n}@example.org" for n in range(SUBSCRIBERS)}, "nothing lost"
    assert max(received.values()) == 1, f"nothing twice: {[a for a, n in received.items() if n > 1]}"
    message_ids = [message.message["Message-ID"] for message in smtp.received]
    assert len(set(message_ids)) == SUBSCRIBERS
    assert set(message_ids) == set(Delivery.objects.values_list("message_id", flat=True))
