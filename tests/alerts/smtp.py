"""A real SMTP server on loopback (aiosmtpd), recording what it receives, for the alerts' tests."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
import threading
import time
from dataclasses import dataclass, field


def _import_aiosmtpd():
    """aiosmtpd imports the ``public`` package (atpublic), which pytest's ``tests/public/`` shadows once
    ``tests/`` is on ``sys.path``: load the real one while aiosmtpd is imported, then put things back."""
    import importlib.machinery
    import importlib.util
    import sys

    shadow = sys.modules.get("public")
    if shadow is not None and hasattr(shadow, "public"):
        from aiosmtpd.controller import Controller

        return Controller
    paths = [entry for entry in sys.path if not entry.rstrip("/").endswith("tests")]
    spec = importlib.machinery.PathFinder.find_spec("public", paths)
    real = importlib.util.module_from_spec(spec)
    sys.modules["public"] = real
    try:
        spec.loader.exec_module(real)
        from aiosmtpd.controller import Controller
    finally:
        if shadow is not None:
            sys.modules["public"] = shadow
        else:
            del sys.modules["public"]
    return Controller


Controller = _import_aiosmtpd()
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part.get_content()
        raise AssertionError(f"no {content_type} part")


@dataclass
class Handler:
    """Accepts everything, except what ``refuse`` answers for a recipient (``"550 No such user"``)."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before accepting a message (after its final ".")
    rcpt_delay: float = 0.0  # before accepting a recipient (the sender's transaction is still open)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            time.sleep(self.rcpt_delay)
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.recipients]


class SMTPServer:
    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received
