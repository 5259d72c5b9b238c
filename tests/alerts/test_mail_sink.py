"""The development mail sink (``manage.py mail_sink``, started by ``make run``) writes each message it
receives to a folder as an .eml file a developer can open."""

from __future__ import annotations

import email
import email.policy
import os

import pytest
from django.core.mail import EmailMessage, get_connection

from tests.alerts.smtp import free_port
from tests.reliability.processes import PYTHON, start_group, stop_group, wait_until


@pytest.mark.django_db
def test_the_mail_sink_writes_each_message_to_an_eml_file(tmp_path):
    port = free_port()
    folder = tmp_path / "mail"
    sink = start_group(
        [PYTHON, "manage.py", "mail_sink", "--port", str(port), "--folder", str(folder)],
        {**os.environ},
        tmp_path / "sink.log",
    )
    try:
        assert wait_until(lambda: "Mail sink on" in (tmp_path / "sink.log").read_text(), timeout=60, step=0.1)
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port)
        EmailMessage("Communiqué", "Texte.", "newsroom@localhost", ["lea@example.org"], connection=connection).send()
        assert wait_until(lambda: list(folder.glob("*.eml")), timeout=10)
    finally:
        stop_group(sink)
    [saved] = folder.glob("*.eml")
    message = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Communiqué" and message["X-Sink-Envelope-To"] == "lea@example.org"
