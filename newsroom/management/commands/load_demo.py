from django.core.management.base import BaseCommand

from newsroom.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content (the example release, its people, meeting and gallery). Safe to run twice."

    def handle(self, *args, **options):
        release = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {release.get_absolute_url()}"))
