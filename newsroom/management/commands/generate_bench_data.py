from django.core.management.base import BaseCommand

from bench import datagen


class Command(BaseCommand):
    help = "Generate realistic benchmark data (e.g. --releases 100000). Generated slugs start with 'bench-'."

    def add_arguments(self, parser):
        parser.add_argument("--releases", type=int, default=1000)
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument("--organisations", type=int, default=40)
        parser.add_argument("--tags", type=int, default=400)
        parser.add_argument("--meetings", type=int, default=2000)
        parser.add_argument("--photos", type=int, default=60, help="size of the photo pool releases draw from")
        parser.add_argument("--busy-people", type=int, default=5, help="people named in 1 to 5 %% of the releases each")
        parser.add_argument(
            "--sites", type=int, default=20, help="the first N ministries get a site at <slug>.localhost"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clear", action="store_true", help="remove previously generated data first")

    def handle(self, *args, clear, **options):
        if clear:
            datagen.clear()
        counts = datagen.generate(
            **{
                key: options[key]
                for key in (
                    "releases",
                    "people",
                    "organisations",
                    "tags",
                    "meetings",
                    "photos",
                    "seed",
                    "busy_people",
                    "sites",
                )
            }
        )
        self.stdout.write(self.style.SUCCESS(", ".join(f"{key}: {value}" for key, value in counts.items())))
