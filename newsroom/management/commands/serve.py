"""Run the newsroom for development: migrate, load the demo, then the web server, the worker and (when
mail goes to a local address) the mail sink that writes every message to var/mail/."""

import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sites.models import SiteHost


class Command(BaseCommand):
    help = "Migrate, load the demo content, create an admin, then serve on ADDRESS with the background worker."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo content.")

    def handle(self, *args, address, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo")
        call_command("ensure_admin")
        manage = [sys.executable, "manage.py"]
        # No autoreloader: its outer process kills the inner one with SIGKILL on exit, which would skip the
        # inner process's clean-up (and leave the database server running). Each child leads its own
        # process group so that stopping it reaches anything it started.
        children = [
            subprocess.Popen([*manage, "runserver", "--noreload", address], start_new_session=True),
            subprocess.Popen([*manage, "worker", "--queue-name", "*"], start_new_session=True),
        ]
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and settings.EMAIL_HOST in ("127.0.0.1", "localhost"):
            # The local SMTP sink the development settings send to: messages land in var/mail/ (README).
            children.append(
                subprocess.Popen([*manage, "mail_sink", "--port", str(settings.EMAIL_PORT)], start_new_session=True)
            )
        self.stdout.write(self.style.SUCCESS(f"Newsroom on http://{address}/ (Ctrl-C stops it)"))
        port = address.rsplit(":", 1)[-1] if ":" in address else "80"
        for host in SiteHost.objects.exclude(site__organisation=None).filter(host__endswith=".localhost"):
            self.stdout.write(f"  {host.site.name_fr}: http://{host.host}:{port}/")

        def stop(signum=None, frame=None):
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

        signal.signal(signal.SIGTERM, lambda signum, frame: (stop(), sys.exit(0)))
        try:
            while all(child.poll() is None for child in children):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    children[0].wait(timeout=1)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
