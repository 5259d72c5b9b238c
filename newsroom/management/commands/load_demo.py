from django.core.management.base import BaseCommand, CommandError

from newsroom.demo.loader import DemoFontMissing, load_demo, load_demo_sites


class Command(BaseCommand):
    help = (
        "Load the demo content (the example release, its people, meeting and gallery) and the demo sites "
        "(the portal at 127.0.0.1 and localhost, each ministry at <acronym>.localhost). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-sites", action="store_true", help="Do not create the demo sites.")

    def handle(self, *args, no_sites=False, **options):
        try:
            release = load_demo()
        except DemoFontMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {release.get_absolute_url()}"))
        if not no_sites:
            for site in load_demo_sites():
                hosts = ", ".join(host.host for host in site.hosts.all())
                self.stdout.write(f"Site « {site.name_fr} »: {hosts}")
