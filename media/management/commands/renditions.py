"""``manage.py renditions [--all]``: make the renditions that are missing (or all of them again)."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from media.models import Photo
from media.tasks import photo_generate_renditions


def progress_bar(done: int, total: int, started: float, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} photos, {rate:.1f}/s"


class Command(BaseCommand):
    help = "Generate the missing renditions of every photo; with --all, regenerate them all."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="regenerate every rendition, not only missing ones")

    def handle(self, *args, **options):
        force = options["all"]
        # Renditions are prefetched per chunk: a photo already complete costs no query, only file checks.
        photos = Photo.objects.order_by("pk").prefetch_related("renditions")
        total = photos.count()
        started = time.monotonic()
        made = failed = 0
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        for done, photo in enumerate(photos.iterator(chunk_size=100), start=1):
            try:
                made += photo_generate_renditions(photo=photo, force=force)
            except Exception as error:  # noqa: BLE001 - one broken file must not stop the others
                failed += 1
                self.stderr.write(f"\nPhoto {photo.pk}: {error}")
            if interactive or done == total or done % 50 == 0:
                self.stdout.write(progress_bar(done, total, started), ending="")
                self.stdout.flush()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{made} renditions written for {total} photos; {failed} failed."))
