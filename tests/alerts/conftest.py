"""Fixtures of the alerts' tests: a real SMTP server that Django's SMTP backend talks to."""

from __future__ import annotations

import pytest

from tests.alerts.smtp import SMTPServer


@pytest.fixture(autouse=True)
def send_in_the_test_thread(settings):
    """Tests inside a transaction send from their own thread (other threads would not see its rows);
    the kill -9 tests run real workers, which use the threads (ALERTS_SEND_THREADS)."""
    settings.ALERTS_SEND_THREADS = 1


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.SITE_URL = "https://newsroom.example"
        yield server
