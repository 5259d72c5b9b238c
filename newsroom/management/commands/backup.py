from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files into a new folder under DESTINATION."

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", default="var/backups")

    def handle(self, *args, destination, **options):
        try:
            folder = create_backup(destination=Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
