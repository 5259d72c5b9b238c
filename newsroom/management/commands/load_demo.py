from django.core.management.base import BaseCommand, CommandError

from newsroom.demo.loader import DemoFontMissing, load_demo


class Command(BaseCommand):
    help = "Load the demo content (the example release, its people, meeting and gallery). Safe to run twice."

    def handle(self, *args, **options):
        try:
            release = load_demo()
        except DemoFontMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {release.get_absolute_url()}"))
