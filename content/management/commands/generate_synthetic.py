from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.synthetic import generate


class Command(BaseCommand):
    help = (
        "Add N synthetic records of realistic shape (about 60 % agreements, 30 % norms in "
        "frameworks, 10 % bodies) for measuring speed at scale. Bulk writes; reproducible "
        "from --seed; existing records are never changed. Not in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--records", type=int, required=True, help="How many records to add (at least 1)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Seed of the generator: the same seed, the same text.",
        )

    def handle(self, *args, records: int, seed: int, **options):
        if records < 1:
            raise CommandError(f"--records must be at least 1, got {records}.")
        if settings.PRODUCTION:
            raise CommandError("Synthetic records are for measurements, never in production.")
        log = self.stdout.write if options["verbosity"] > 1 else lambda _: None
        report = generate(records, seed, log=log)
        self.stdout.write(self.style.SUCCESS(f"Added {records} records, {report}."))
