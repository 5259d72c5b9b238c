"""A local SMTP server for development: every message it receives is written to ``var/mail/`` as an
``.eml`` file (open it with any mail client, or read it as text). ``manage.py serve`` (``make run``)
starts it on 127.0.0.1:1025, where the development settings send mail.

    .venv/bin/python manage.py mail_sink [--host 127.0.0.1] [--port 1025] [--folder var/mail]
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand


class WriteToFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{self.count}.eml"  # noqa: DTZ005 - a local file name
        header = f"X-Sink-Envelope-From: {envelope.mail_from}\r\nX-Sink-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        (self.folder / name).write_bytes(header.encode() + envelope.original_content)
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = "Run a local SMTP server that writes every message it receives to var/mail/ as .eml files."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=1025)
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / "var" / "mail"))

    def handle(self, *args, host, port, folder, **options):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        controller = Controller(WriteToFolder(folder), hostname=host, port=port)
        controller.start()
        self.stdout.write(f"Mail sink on {host}:{port}, writing to {folder}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
