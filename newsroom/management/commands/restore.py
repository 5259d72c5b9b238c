from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg.conninfo import conninfo_to_dict

from newsroom.backup import BackupError, connection_url, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup` into the configured database (its current content is "
        "replaced) and its files into MEDIA_ROOT. Asks for confirmation unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--database-url", help="Restore into this database instead of the configured one.")
        parser.add_argument("--media-root", help="Unpack the files here instead of MEDIA_ROOT.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, database_url, media_root, yes, **options):
        url = database_url or connection_url()
        if not yes:
            target = conninfo_to_dict(url).get("dbname", url)
            answer = input(f"This replaces everything in the database {target}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(folder=Path(folder), url=url, media_root=Path(media_root or settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {len(manifest['tables'])} tables and {manifest['files']} files.")
        )
